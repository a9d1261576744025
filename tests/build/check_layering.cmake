# SPDX-License-Identifier: Apache-2.0
#
# tst_build_layering: the layers of docs/ARCHITECTURE.md as the code has them.
#  1. app/ and cli/ depend only on the session's API: no storage/ header, no storage:: name.
#  2. That API exposes no storage type: client/Session.h and the client/ headers it includes
#     include no storage/ header, and the public part of class Session names no storage:: type.
#  3. Each role class is given the storage owners it may touch, never the whole Store, and the
#     "May touch" column of the owners table in docs/ARCHITECTURE.md names exactly the storage
#     owners its header names (Store, ...Table, ExpiryRun, DeliveryCommit).
#
# Run as: cmake -DSOURCE_DIR=<repository> -P check_layering.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "pass -DSOURCE_DIR=<repository>")
endif()

set(problems "")

# The text of a source file without its // comments.
function(read_code path out)
    file(READ "${path}" text)
    string(REGEX REPLACE "//[^\n]*" "" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# --- 1. app/ and cli/ ------------------------------------------------------------------------------
file(GLOB_RECURSE above RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
     "${SOURCE_DIR}/cli/*.cpp" "${SOURCE_DIR}/cli/*.h")
list(LENGTH above count)
if(count LESS 20)
    message(FATAL_ERROR "found only ${count} files in app/ and cli/: the scan is broken")
endif()
foreach(relative IN LISTS above)
    read_code("${SOURCE_DIR}/${relative}" code)
    if(code MATCHES "#include[ \t]*[<\"]storage/([^\">]+)")
        list(APPEND problems "${relative}: includes storage/${CMAKE_MATCH_1} (use the session's API instead)")
    endif()
    if(code MATCHES "storage::([A-Za-z_]+)")
        list(APPEND problems "${relative}: names storage::${CMAKE_MATCH_1} (use the session's API instead)")
    endif()
endforeach()

# --- 2. the session's API --------------------------------------------------------------------------
set(pending "client/Session.h")
set(seen "")
while(pending)
    list(POP_FRONT pending relative)
    if(relative IN_LIST seen)
        continue()
    endif()
    list(APPEND seen "${relative}")
    read_code("${SOURCE_DIR}/${relative}" code)
    string(REGEX MATCHALL "#include[ \t]*\"[^\"]+\"" includes "${code}")
    foreach(include IN LISTS includes)
        string(REGEX REPLACE "#include[ \t]*\"([^\"]+)\"" "\\1" header "${include}")
        if(header MATCHES "^storage/")
            list(APPEND problems "${relative}: includes ${header}, which the session's API exposes")
        elseif(header MATCHES "^client/")
            list(APPEND pending "${header}")
        endif()
    endforeach()
endwhile()
read_code("${SOURCE_DIR}/client/Session.h" code)
string(FIND "${code}" "class Session " from)
string(FIND "${code}" "private:" to)
if(from EQUAL -1 OR to EQUAL -1 OR to LESS from)
    message(FATAL_ERROR "client/Session.h: class Session or its private part not found")
endif()
math(EXPR length "${to} - ${from}")
string(SUBSTRING "${code}" ${from} ${length} public_part)
if(public_part MATCHES "storage::([A-Za-z_]+)")
    list(APPEND problems "client/Session.h: the public API names storage::${CMAKE_MATCH_1}")
endif()

# --- 3. the owners table ---------------------------------------------------------------------------
file(READ "${SOURCE_DIR}/docs/ARCHITECTURE.md" doc)
string(FIND "${doc}" "## client/: who owns what" start)
if(start EQUAL -1)
    message(FATAL_ERROR "docs/ARCHITECTURE.md has no section \"client/: who owns what\"")
endif()
string(SUBSTRING "${doc}" ${start} -1 doc)
string(REPLACE ";" "," doc "${doc}") # a ";" would split a row in two list items
string(REGEX MATCHALL "\n\\| `[A-Za-z]+` \\|[^\n]*" rows "${doc}")
set(owner_regex "(Store|[A-Za-z]+Table|ExpiryRun|DeliveryCommit)")
set(checked 0)
foreach(row IN LISTS rows)
    string(REGEX REPLACE "^\n\\| `([A-Za-z]+)` \\|.*" "\\1" class "${row}")
    if(NOT EXISTS "${SOURCE_DIR}/client/${class}.h")
        continue() # the storage owners' own table, further down
    endif()
    math(EXPR checked "${checked} + 1")
    # The "May touch" column: what follows the second cell separator.
    string(REGEX REPLACE "^\n\\| `[A-Za-z]+` \\|[^|]*\\|(.*)\\|[ \t]*$" "\\1" touches "${row}")
    string(REGEX MATCHALL "`${owner_regex}`" documented "${touches}")
    list(TRANSFORM documented REPLACE "`" "")
    list(REMOVE_DUPLICATES documented)
    list(SORT documented)
    read_code("${SOURCE_DIR}/client/${class}.h" code)
    string(REGEX MATCHALL "storage::${owner_regex}[^A-Za-z]" named "${code}")
    list(TRANSFORM named REPLACE "^storage::${owner_regex}.$" "\\1")
    list(REMOVE_DUPLICATES named)
    list(SORT named)
    if(NOT class STREQUAL "Session" AND NOT class STREQUAL "Enrollment" AND "Store" IN_LIST named)
        list(APPEND problems "client/${class}.h: a role is given the owners it uses, not the Store")
    endif()
    if(NOT "${documented}" STREQUAL "${named}")
        list(APPEND problems "docs/ARCHITECTURE.md: ${class} may touch [${documented}] but client/${class}.h is given [${named}]")
    endif()
endforeach()
if(checked LESS 10)
    message(FATAL_ERROR "checked only ${checked} rows of the owners table: the scan is broken")
endif()

if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "layering:\n  ${text}")
endif()
message(STATUS "app/ and cli/ use the session's API only; ${checked} owners-table rows match the code")
