# SPDX-License-Identifier: Apache-2.0
#
# packaging/CPackDebChecks.cmake — read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE).
# Without dpkg-shlibdeps (package dpkg-dev) or file, CPack only warns and makes a .deb whose
# Depends lacks every library (libc6, libssl3, Qt, ...), which installs anywhere and then cannot
# start. Cinder's .deb is never made that way.
if(CPACK_GENERATOR STREQUAL "DEB" AND CPACK_DEBIAN_PACKAGE_SHLIBDEPS)
    foreach(tool IN ITEMS dpkg-shlibdeps file)
        find_program(_cinder_${tool} ${tool})
        if(NOT _cinder_${tool})
            set(package "${tool}")
            if(tool STREQUAL "dpkg-shlibdeps")
                set(package dpkg-dev)
            endif()
            message(FATAL_ERROR "${tool} is missing (Debian package ${package}): without it the "
                                ".deb would not depend on the libraries its programs load. "
                                "Run scripts/bootstrap.")
        endif()
    endforeach()
endif()
