// SPDX-License-Identifier: Apache-2.0
#include "storage/FileSync.h"

#include <QFile>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace cinder::storage::detail {

namespace {

#ifdef Q_OS_UNIX
bool syncDescriptorOf(const QString& path, int flags) {
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}
#endif

} // namespace

bool syncFile(const QString& path) {
#ifdef Q_OS_UNIX
    return syncDescriptorOf(path, O_RDONLY);
#else
    Q_UNUSED(path);
    return true;
#endif
}

bool syncFolder(const QString& folder) {
#ifdef Q_OS_UNIX
    return syncDescriptorOf(folder, O_RDONLY | O_DIRECTORY);
#else
    Q_UNUSED(folder);
    return true;
#endif
}

} // namespace cinder::storage::detail
