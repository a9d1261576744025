# SPDX-License-Identifier: Apache-2.0
#
# cmake/PinnedNpmTarball.cmake — fetch a source tarball from the npm registry, pinned by a lock file.
#
# Some C sources that Debian 12 does not package at a usable version (docs/DEPENDENCIES.md) come
# from the npm registry, the one source registry every machine that builds Cinder reaches. A lock
# file beside the code pins the package, the exact version and the tarball's SHA-512; the tarball
# is fetched with `npm pack` (so npm's own registry, proxy and CA settings apply) into a cache that
# all presets share, and nothing is used unless its digest matches the lock. A mismatch stops the
# configure step with both digests in the message.
#
#   cinder_read_lock(<lock file> <prefix>)
#       sets <prefix>_<key> for every `key=value` line of the lock file
#   cinder_fetch_pinned_npm_tarball(<lock file> <out var>)
#       sets <out var> to the path of the verified tarball
#
# CINDER_DEPS_CACHE (cache variable) is the folder the tarballs are kept in; a tarball placed there
# by hand (a machine without npm) is used when its digest matches.

include_guard(GLOBAL)

set(CINDER_DEPS_CACHE "${PROJECT_SOURCE_DIR}/build/deps-cache" CACHE PATH
    "Where pinned third-party tarballs are kept (shared by every preset)")

function(cinder_read_lock lock_file prefix)
    file(STRINGS "${lock_file}" lines REGEX "^[a-z0-9_]+=")
    foreach(line IN LISTS lines)
        string(FIND "${line}" "=" eq)
        string(SUBSTRING "${line}" 0 ${eq} key)
        math(EXPR start "${eq} + 1")
        string(SUBSTRING "${line}" ${start} -1 value)
        set(${prefix}_${key} "${value}" PARENT_SCOPE)
    endforeach()
endfunction()

function(cinder_fetch_pinned_npm_tarball lock_file out_var)
    cinder_read_lock("${lock_file}" lock)
    foreach(key IN ITEMS package version sha512)
        if(NOT lock_${key})
            message(FATAL_ERROR "${lock_file}: no '${key}=' line")
        endif()
    endforeach()
    string(TOLOWER "${lock_sha512}" expected)
    if(NOT expected MATCHES "^[0-9a-f]+$")
        message(FATAL_ERROR "${lock_file}: sha512 must be 128 hex digits")
    endif()
    string(LENGTH "${expected}" expected_length)
    if(NOT expected_length EQUAL 128)
        message(FATAL_ERROR "${lock_file}: sha512 must be 128 hex digits")
    endif()

    string(REGEX REPLACE "^@" "" flat "${lock_package}")
    string(REPLACE "/" "-" flat "${flat}")
    set(tarball "${CINDER_DEPS_CACHE}/${flat}-${lock_version}.tgz")
    file(MAKE_DIRECTORY "${CINDER_DEPS_CACHE}")
    # Two presets configured at once share the cache: one fetches, the other waits.
    file(LOCK "${CINDER_DEPS_CACHE}/.lock" GUARD FUNCTION TIMEOUT 600)

    if(EXISTS "${tarball}")
        file(SHA512 "${tarball}" cached)
        if(NOT cached STREQUAL expected)
            message(WARNING "${tarball} does not match ${lock_file} (SHA-512 ${cached}); "
                            "fetching it again")
            file(REMOVE "${tarball}")
        endif()
    endif()

    if(NOT EXISTS "${tarball}")
        find_program(CINDER_NPM npm)
        if(NOT CINDER_NPM)
            message(FATAL_ERROR
                "npm is needed to fetch ${lock_package}@${lock_version} (see ${lock_file}); "
                "run scripts/bootstrap, which installs it, or place the tarball at ${tarball} "
                "(SHA-512 ${expected})")
        endif()
        set(staging "${CINDER_DEPS_CACHE}/.fetch-${flat}-${lock_version}")
        file(REMOVE_RECURSE "${staging}")
        file(MAKE_DIRECTORY "${staging}")
        message(STATUS "Fetching ${lock_package}@${lock_version} with npm pack")
        execute_process(
            COMMAND "${CINDER_NPM}" pack "${lock_package}@${lock_version}"
                    --pack-destination "${staging}" --ignore-scripts --loglevel=error
            WORKING_DIRECTORY "${staging}"
            RESULT_VARIABLE rc
            OUTPUT_VARIABLE out
            ERROR_VARIABLE err)
        file(GLOB fetched "${staging}/*.tgz")
        list(LENGTH fetched count)
        if(NOT rc EQUAL 0 OR NOT count EQUAL 1)
            message(FATAL_ERROR "npm pack ${lock_package}@${lock_version} failed (exit ${rc}):\n"
                                "${err}${out}")
        endif()
        file(SHA512 "${fetched}" got)
        if(NOT got STREQUAL expected)
            message(FATAL_ERROR
                "${lock_package}@${lock_version} from the registry is not the pinned tarball:\n"
                "  expected SHA-512 ${expected} (${lock_file})\n"
                "  got      SHA-512 ${got}\n"
                "The download is left at ${fetched} for inspection; nothing was built from it.")
        endif()
        file(RENAME "${fetched}" "${tarball}")
        file(REMOVE_RECURSE "${staging}")
    endif()
    set(${out_var} "${tarball}" PARENT_SCOPE)
endfunction()
