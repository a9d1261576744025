# SPDX-License-Identifier: Apache-2.0
#
# packaging/Packaging.cmake — install rules and CPack configuration (docs/PACKAGING.md).
#
# Include once from the top-level CMakeLists.txt:   include(packaging/Packaging.cmake)
# or inject it without editing anything:            cmake ... -DCMAKE_PROJECT_INCLUDE=<this file>
#
# The install rules and include(CPack) run deferred, at the end of the top-level directory, so the
# `if(TARGET …)` guards see every executable wherever this file is included (CMAKE_PROJECT_INCLUDE
# runs right after project(), before any target exists). Missing executables are simply not
# packaged: today cinder-server and cinder-cli; the desktop app `cinder` with its .desktop entry,
# AppStream metainfo and icons once app/ defines it.
#
# Linux: `cpack -G "DEB;TGZ"` in a configured build directory (Release: `cmake --preset release`).
# Windows and macOS installers are built by the recipes in packaging/windows and packaging/macos
# (untested here; their README.md files say how); CPack there only makes a plain ZIP.

include_guard(GLOBAL)
include(GNUInstallDirs)

set(CINDER_PACKAGE_VENDOR "The Cinder developers" CACHE STRING
    "Vendor/maintainer name in the packages")
set(CINDER_PACKAGE_CONTACT "The Cinder developers <packaging@cinder.example.org>" CACHE STRING
    "Maintainer field of the .deb (Name <email>)")
set(CINDER_HOMEPAGE_URL "https://cinder.example.org/" CACHE STRING
    "Homepage in the package metadata (placeholder until the project has a public home)")
# Runtime dependencies dpkg-shlibdeps cannot see because Qt loads them as plugins or QML imports.
# Keep the app's list in step with the `import` lines of ui/ (docs/PACKAGING.md says how to check);
# libqt6svg6 holds the SVG icon engine and image plugin the window and tray icons need, and
# qml6-module-qtmultimedia the camera for QR scanning. Plain variables, not cache entries, so an
# edit here reaches existing build directories; distributors add to them with the cache entry.
set(_cinder_deb_server_depends "libqt6sql6-sqlite")
set(_cinder_deb_app_depends
    libqt6svg6 qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-layouts qml6-module-qtquick-dialogs qml6-module-qtquick-window
    qml6-module-qtqml-workerscript qml6-module-qt-labs-folderlistmodel qml6-module-qtmultimedia)
set(CINDER_DEB_EXTRA_DEPENDS "" CACHE STRING
    "More .deb dependencies, comma-separated, appended to the computed ones")

set(_cinder_packaging_dir "${CMAKE_CURRENT_LIST_DIR}")

function(_cinder_packaging)
    set(pkg "${_cinder_packaging_dir}")
    cmake_path(GET pkg PARENT_PATH src)
    set(res "${src}/resources")
    set(docdir "${CMAKE_INSTALL_DATADIR}/doc/cinder")

    # --- executables -----------------------------------------------------------------------------
    set(packaged "")
    foreach(tool IN ITEMS cinder-server cinder-cli)
        if(TARGET ${tool})
            install(TARGETS ${tool} RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
            list(APPEND packaged ${tool})
        endif()
    endforeach()

    set(deb_depends "")
    if(TARGET cinder-server)
        list(APPEND deb_depends ${_cinder_deb_server_depends})
    endif()

    if(TARGET cinder)
        list(APPEND packaged cinder)
        if(APPLE)
            # Untested here (no macOS machine): packaging/macos/README.md.
            set(icns "${res}/icons/macos/cinder.icns")
            target_sources(cinder PRIVATE "${icns}")
            set_source_files_properties("${icns}" TARGET_DIRECTORY cinder
                                        PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
            set_target_properties(cinder PROPERTIES
                MACOSX_BUNDLE TRUE
                OUTPUT_NAME Cinder
                MACOSX_BUNDLE_INFO_PLIST "${pkg}/macos/Info.plist.in"
                MACOSX_BUNDLE_GUI_IDENTIFIER org.cinder.Cinder
                MACOSX_BUNDLE_BUNDLE_NAME Cinder
                MACOSX_BUNDLE_ICON_FILE cinder.icns
                MACOSX_BUNDLE_BUNDLE_VERSION "${CMAKE_PROJECT_VERSION}"
                MACOSX_BUNDLE_SHORT_VERSION_STRING "${CMAKE_PROJECT_VERSION}")
            install(TARGETS cinder BUNDLE DESTINATION . RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
        elseif(WIN32)
            # Untested here (no Windows machine): packaging/windows/README.md. The .rc gives
            # cinder.exe its icon in Explorer and the task bar.
            set(rc "${CMAKE_BINARY_DIR}/packaging/cinder-icon.rc")
            file(TO_NATIVE_PATH "${res}/icons/windows/cinder.ico" ico)
            string(REPLACE "\\" "\\\\" ico "${ico}")
            file(WRITE "${rc}" "IDI_ICON1 ICON \"${ico}\"\n")
            target_sources(cinder PRIVATE "${rc}")
            set_target_properties(cinder PROPERTIES WIN32_EXECUTABLE TRUE)
            install(TARGETS cinder RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
        else()
            install(TARGETS cinder RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
            install(FILES "${res}/org.cinder.Cinder.desktop"
                    DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
            install(FILES "${res}/org.cinder.Cinder.metainfo.xml"
                    DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
            install(DIRECTORY "${res}/icons/hicolor"
                    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons"
                    FILES_MATCHING PATTERN "org.cinder.Cinder.png" PATTERN "org.cinder.Cinder.svg")
        endif()
        list(APPEND deb_depends ${_cinder_deb_app_depends})
    endif()

    if(NOT packaged)
        message(STATUS "Packaging: no cinder, cinder-cli or cinder-server target; nothing to package")
        return()
    endif()
    list(JOIN packaged ", " packaged)
    message(STATUS "Packaging: ${packaged}")

    # Debian policy files: copyright (machine-readable) and a compressed changelog.
    if(UNIX AND NOT APPLE)
        install(FILES "${pkg}/debian/copyright" DESTINATION "${docdir}")
        install(FILES "${pkg}/debian/lintian-overrides"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides" RENAME cinder)
        # The newest changelog entry must name the version being packaged.
        file(STRINGS "${pkg}/debian/changelog" head LIMIT_COUNT 1)
        if(NOT head MATCHES "^cinder \\(${CMAKE_PROJECT_VERSION}-[0-9]+\\)")
            message(WARNING "packaging/debian/changelog starts with '${head}', but the project "
                            "version is ${CMAKE_PROJECT_VERSION}: add an entry for it")
        endif()
        find_program(CINDER_GZIP gzip)
        if(CINDER_GZIP)
            set(gz "${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz")
            file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/packaging")
            # -n: no name or time stamp in the header, so the package is reproducible.
            execute_process(COMMAND "${CINDER_GZIP}" -9 -n -c "${pkg}/debian/changelog"
                            OUTPUT_FILE "${gz}" COMMAND_ERROR_IS_FATAL ANY)
            set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY
                         CMAKE_CONFIGURE_DEPENDS "${pkg}/debian/changelog")
            install(FILES "${gz}" DESTINATION "${docdir}")
        endif()
    endif()

    # --- CPack, all generators -------------------------------------------------------------------
    set(CPACK_PACKAGE_NAME cinder)
    set(CPACK_PACKAGE_VENDOR "${CINDER_PACKAGE_VENDOR}")
    set(CPACK_PACKAGE_CONTACT "${CINDER_PACKAGE_CONTACT}")
    set(CPACK_PACKAGE_HOMEPAGE_URL "${CINDER_HOMEPAGE_URL}")
    set(CPACK_PACKAGE_VERSION "${CMAKE_PROJECT_VERSION}")
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "end-to-end encrypted messenger with expiring messages")
    set(CPACK_PACKAGE_DESCRIPTION
"Cinder implements the Wickr Secure Messaging Protocol: P-521 identity keys
per user and per device, fresh ephemeral keys for every message (forward
secrecy), AES-256-GCM, messages that expire or burn after reading, key
verification by digits or QR code, and a local database encrypted in the
SQLCipher 4 format.

This package contains: ${packaged}.
cinder is the Qt desktop client, cinder-cli the headless client for scripts
and bots, cinder-server the key directory and store-and-forward relay, which
only ever holds encrypted packets.")
    set(CPACK_PACKAGE_INSTALL_DIRECTORY Cinder)
    set(CPACK_PACKAGE_CHECKSUM SHA256)
    set(CPACK_STRIP_FILES ON)
    set(CPACK_OUTPUT_FILE_PREFIX packages)
    set(CPACK_VERBATIM_VARIABLES ON)
    if(WIN32 OR APPLE)
        set(CPACK_GENERATOR ZIP)
    else()
        set(CPACK_GENERATOR "DEB;TGZ")
    endif()
    set(CPACK_SOURCE_GENERATOR TGZ)
    set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/\\.cache/" "\\.swp$")

    # --- DEB ---------------------------------------------------------------------------------------
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # cinder_0.1.0-1_amd64.deb
    set(CPACK_DEBIAN_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
    # dpkg-shlibdeps computes the libraries' packages (Qt 6, OpenSSL, protobuf,
    # libscrypt, zxing, qrencode, ...); the plugin and QML packages it cannot see are added here.
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    # cpack refuses to make the .deb when dpkg-shlibdeps or file is missing (instead of warning).
    set(CPACK_PROJECT_CONFIG_FILE "${pkg}/CPackDebChecks.cmake")
    if(CINDER_DEB_EXTRA_DEPENDS)
        list(APPEND deb_depends "${CINDER_DEB_EXTRA_DEPENDS}")
    endif()
    list(JOIN deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql")
    if(TARGET cinder)
        string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS
               ", qt6-wayland, gstreamer1.0-plugins-good, qt6-image-formats-plugins")
    endif()
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

    # --- archives ----------------------------------------------------------------------------------
    set(CPACK_PACKAGE_FILE_NAME
        "cinder-${CMAKE_PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")

    include(CPack)
endfunction()

cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _cinder_packaging)
