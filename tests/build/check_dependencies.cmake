# SPDX-License-Identifier: Apache-2.0
#
# tst_build_dependencies: every dependency the build looks for has its Debian package in
# scripts/bootstrap's list, through the "Build names" table of docs/DEPENDENCIES.md.
#
# Run as: cmake -DSOURCE_DIR=<repository> -P check_dependencies.cmake
# Reads every CMakeLists.txt and cmake/*.cmake under the repository (build folders excluded) for
# find_package (with its COMPONENTS as Qt6::<name>), pkg_check_modules (pkg:<module>),
# find_library (lib:<name>), find_path (header:<name>) and find_program (program:<name>), and every
# .cpp/.h for programs started by name with QProcess (program:<name>).
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "pass -DSOURCE_DIR=<repository>")
endif()

# --- the names the build asks for ----------------------------------------------------------------
file(GLOB_RECURSE build_files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/CMakeLists.txt" "${SOURCE_DIR}/*/CMakeLists.txt" "${SOURCE_DIR}/*.cmake")
list(FILTER build_files EXCLUDE REGEX "^(build|out)/")
set(keywords REQUIRED QUIET CONFIG MODULE NO_MODULE EXACT IMPORTED_TARGET GLOBAL NAMES PATHS
             HINTS PATH_SUFFIXES NO_DEFAULT_PATH OPTIONAL_COMPONENTS COMPONENTS)
set(wanted "")
foreach(relative IN LISTS build_files)
    file(READ "${SOURCE_DIR}/${relative}" text)
    # Comments out, so a call quoted in a comment does not count.
    string(REGEX REPLACE "#[^\n]*" "" text "${text}")
    string(REGEX MATCHALL "(find_package|pkg_check_modules|find_library|find_path|find_program)[ \t]*\\([^)]*\\)"
           calls "${text}")
    foreach(call IN LISTS calls)
        string(REGEX MATCH "^[a-z_]+" command "${call}")
        string(REGEX REPLACE "^[a-z_]+[ \t]*\\((.*)\\)$" "\\1" args "${call}")
        string(REGEX REPLACE "[ \t\r\n]+" ";" args "${args}")
        list(FILTER args EXCLUDE REGEX "^$")
        list(FILTER args EXCLUDE REGEX "^\\$")
        list(FILTER args EXCLUDE REGEX "^[0-9.]+$")
        if(command STREQUAL "find_package")
            list(GET args 0 package)
            list(FIND args COMPONENTS at)
            if(at GREATER -1)
                math(EXPR at "${at} + 1")
                list(SUBLIST args ${at} -1 components)
                foreach(component IN LISTS components)
                    if(component IN_LIST keywords)
                        break()
                    endif()
                    list(APPEND wanted "${package}::${component}|${relative}")
                endforeach()
            else()
                list(APPEND wanted "${package}|${relative}")
            endif()
        else()
            # The first argument is the result variable; the names follow (after NAMES if given).
            list(REMOVE_AT args 0)
            list(REMOVE_ITEM args ${keywords})
            set(prefix_pkg_check_modules "pkg")
            set(prefix_find_library "lib")
            set(prefix_find_path "header")
            set(prefix_find_program "program")
            foreach(name IN LISTS args)
                list(APPEND wanted "${prefix_${command}}:${name}|${relative}")
            endforeach()
        endif()
    endforeach()
endforeach()
# Programs the C++ code starts by name (QProcess::start("name", ...)), e.g. the tests' sqlite3.
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*.cpp" "${SOURCE_DIR}/*.h")
list(FILTER sources EXCLUDE REGEX "^(build|out)/")
foreach(relative IN LISTS sources)
    file(STRINGS "${SOURCE_DIR}/${relative}" lines REGEX "\\.start\\(QStringLiteral\\(\"[^\"]+\"\\)")
    foreach(line IN LISTS lines)
        string(REGEX REPLACE ".*\\.start\\(QStringLiteral\\(\"([^\"]+)\"\\).*" "\\1" program "${line}")
        list(APPEND wanted "program:${program}|${relative}")
    endforeach()
endforeach()
list(REMOVE_DUPLICATES wanted)
list(LENGTH wanted count)
if(count LESS 10)
    message(FATAL_ERROR "found only ${count} dependency lookups in the build: the scan is broken")
endif()

# --- the map from build names to packages --------------------------------------------------------
file(STRINGS "${SOURCE_DIR}/docs/DEPENDENCIES.md" rows REGEX "^\\| `[^`]+` \\| `[^`]+` \\|$")
foreach(row IN LISTS rows)
    string(REGEX REPLACE "^\\| `([^`]+)` \\| `([^`]+)` \\|$" "\\1" name "${row}")
    string(REGEX REPLACE "^\\| `([^`]+)` \\| `([^`]+)` \\|$" "\\2" package "${row}")
    set("map_${name}" "${package}")
endforeach()

# --- bootstrap's list ----------------------------------------------------------------------------
file(READ "${SOURCE_DIR}/scripts/bootstrap" bootstrap)
string(REGEX MATCH "\nPACKAGES=\\(\n(.*)\n\\)\n" block "${bootstrap}")
if(NOT block)
    message(FATAL_ERROR "scripts/bootstrap has no PACKAGES=( ... ) list")
endif()
string(REGEX REPLACE "\n\\).*" "" block "${CMAKE_MATCH_1}")
string(REGEX REPLACE "#[^\n]*" "" block "${block}")
string(REGEX REPLACE "[ \t\r\n]+" ";" packages "${block}")
list(FILTER packages EXCLUDE REGEX "^$")

set(problems "")
foreach(entry IN LISTS wanted)
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 name)
    list(GET parts 1 where)
    if(NOT DEFINED "map_${name}")
        list(APPEND problems "${where}: '${name}' has no row in the Build names table of docs/DEPENDENCIES.md")
    elseif(NOT "${map_${name}}" IN_LIST packages)
        list(APPEND problems "${where}: '${name}' comes from '${map_${name}}', which scripts/bootstrap does not install")
    else()
        message(STATUS "${name} -> ${map_${name}} (${where})")
    endif()
endforeach()
if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "dependencies without an install step:\n  ${text}")
endif()
message(STATUS "all ${count} dependency lookups have a package in scripts/bootstrap")
