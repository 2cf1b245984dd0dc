# cmosim run --provider-src: the kernel built at run time.
#   cmake -DCMOSIM=<cmosim> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P provider_src_test.cmake
# 1. A read-only copy of the scenarios and of our provider runs, and nothing
#    is written into the copy (the build goes to the cache directory).
# 2. The second run finds everything in the cache: no file is added or rewritten.
# 3. A one-line change rebuilds (a new shared object) and runs.
# 4. A compile error names the user's file and line, and the run exits 2.
# 5. A kernel.provider_src key in a scenario, relative to the scenario file.
# 6. Two runs at once on an empty cache both succeed and leave one library.
if(EXISTS ${WORK_DIR})
  execute_process(COMMAND chmod -R u+w ${WORK_DIR})
  file(REMOVE_RECURSE ${WORK_DIR})
endif()
set(ro ${WORK_DIR}/ro)
set(cache ${WORK_DIR}/cache)
file(MAKE_DIRECTORY ${ro})
file(COPY ${SOURCE_DIR}/configs DESTINATION ${ro})
file(COPY ${SOURCE_DIR}/provider/drivers/cache/arm_smccc_cache.c DESTINATION ${ro}/mine)
execute_process(COMMAND chmod -R a-w ${ro})
file(GLOB_RECURSE ro_before LIST_DIRECTORIES true ${ro}/*)

function(run_cmosim out_rc out_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env CMOSIM_CACHE_DIR=${cache}
                          ${CMOSIM} run ${ARGN}
                  WORKING_DIRECTORY ${ro}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${out_rc} ${rc} PARENT_SCOPE)
  set(${out_text} "${out}${err}" PARENT_SCOPE)
endfunction()

function(cache_state out)
  file(GLOB_RECURSE files ${cache}/obj/* ${cache}/lib/*)
  list(SORT files)
  set(state "")
  foreach(f IN LISTS files)
    file(TIMESTAMP ${f} t "%s")
    string(APPEND state "${f}@${t};")
  endforeach()
  set(${out} "${state}" PARENT_SCOPE)
endfunction()

set(scenario configs/regression/busy-4-then-success.yaml)

# 1. Read-only copy.
run_cmosim(rc text ${scenario} --provider-src mine/arm_smccc_cache.c)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "read-only copy: exit ${rc}, expected 0:\n${text}")
endif()
if(NOT text MATCHES "expectations: 7 of 7 passed")
  message(FATAL_ERROR "read-only copy: the expectations did not all pass:\n${text}")
endif()
file(GLOB_RECURSE ro_after LIST_DIRECTORIES true ${ro}/*)
if(NOT ro_before STREQUAL ro_after)
  message(FATAL_ERROR "the run wrote into the read-only copy")
endif()
file(GLOB so_1 ${cache}/lib/*.so)
list(LENGTH so_1 n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one shared object in ${cache}/lib, found ${n}")
endif()

# 2. Cache hit: nothing added, nothing rewritten.
cache_state(before)
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 1.1)
run_cmosim(rc text ${scenario} --provider-src mine/arm_smccc_cache.c --quiet)
cache_state(after)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "second run: exit ${rc}:\n${text}")
endif()
if(NOT before STREQUAL after)
  message(FATAL_ERROR "second run: the cache changed (expected a hit):\n${before}\n${after}")
endif()

# 3. A one-line change (retries 5 -> 2 would change the result: a comment
#    line does not) rebuilds the provider alone and runs.
file(MAKE_DIRECTORY ${WORK_DIR}/edit)
file(READ ${SOURCE_DIR}/provider/drivers/cache/arm_smccc_cache.c src)
file(WRITE ${WORK_DIR}/edit/arm_smccc_cache.c "/* edited */\n${src}")
file(GLOB obj_before ${cache}/obj/*.o)
run_cmosim(rc text ${scenario} --provider-src ${WORK_DIR}/edit/arm_smccc_cache.c --quiet)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "edited provider: exit ${rc}:\n${text}")
endif()
file(GLOB obj_after ${cache}/obj/*.o)
file(GLOB so_2 ${cache}/lib/*.so)
list(LENGTH obj_before nb)
list(LENGTH obj_after na)
math(EXPR added "${na} - ${nb}")
list(LENGTH so_2 ns)
if(NOT added EQUAL 1 OR NOT ns EQUAL 2)
  message(FATAL_ERROR "edited provider: expected 1 new object and 2 shared objects, found "
                      "${added} and ${ns}")
endif()

# 4. A compile error: the user's file and line, exit 2.
file(WRITE ${WORK_DIR}/edit/broken.c
     "#include <linux/init.h>\n\nstatic int broken_init(void)\n{\n\treturn undeclared_thing;\n}\narch_initcall(broken_init);\n")
run_cmosim(rc text ${scenario} --provider-src ${WORK_DIR}/edit/broken.c)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "broken provider: exit ${rc}, expected 2:\n${text}")
endif()
if(NOT text MATCHES "broken\\.c:5:[0-9]+: error: [^\n]*undeclared_thing" OR
   NOT text MATCHES "broken\\.c: does not compile")
  message(FATAL_ERROR "broken provider: the error does not name broken.c:5:\n${text}")
endif()

# 5. The scenario key, relative to the scenario file.
file(WRITE ${WORK_DIR}/edit/keyed.yaml
     "include: ${ro}/configs/regression/busy-4-then-success.yaml\nkernel: { provider_src: arm_smccc_cache.c }\n")
run_cmosim(rc text ${WORK_DIR}/edit/keyed.yaml --report ${WORK_DIR}/edit/keyed.json --quiet)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kernel.provider_src: exit ${rc}:\n${text}")
endif()
file(READ ${WORK_DIR}/edit/keyed.json report)
string(JSON psrc GET "${report}" kernel provider_src)
if(NOT psrc STREQUAL "${WORK_DIR}/edit/arm_smccc_cache.c")
  message(FATAL_ERROR "kernel.provider_src: the report says '${psrc}'")
endif()

# 6. Concurrent runs (execute_process runs its COMMANDs at the same time).
set(cc_cache ${WORK_DIR}/cache-concurrent)
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env CMOSIM_CACHE_DIR=${cc_cache}
          ${CMOSIM} run ${scenario} --provider-src mine/arm_smccc_cache.c --quiet
  COMMAND ${CMAKE_COMMAND} -E env CMOSIM_CACHE_DIR=${cc_cache}
          ${CMOSIM} run ${scenario} --provider-src mine/arm_smccc_cache.c --quiet
  WORKING_DIRECTORY ${ro}
  RESULTS_VARIABLE rcs OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(GLOB cc_so ${cc_cache}/lib/*)
file(GLOB cc_tmp ${cc_cache}/obj/*.tmp.* ${cc_cache}/lib/*.tmp.* ${cc_cache}/src-*.tmp.*)
list(LENGTH cc_so n)
if(NOT rcs STREQUAL "0;0" OR NOT n EQUAL 1 OR cc_tmp)
  message(FATAL_ERROR "concurrent runs: exits ${rcs}, ${n} files in lib/, leftovers '${cc_tmp}':\n"
                      "${out}${err}")
endif()
execute_process(COMMAND chmod -R u+w ${WORK_DIR})
