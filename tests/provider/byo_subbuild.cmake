# Configure, build and test a second tree of cmosim whose provider and
# framework come from user files (here: copies of ours), as a user would with
#   cmake -DCMOSIM_PROVIDER_SRC=... -DCMOSIM_FRAMEWORK_SRC=...
# Inputs: SOURCE_DIR WORK_DIR GENERATOR BUILD_TYPE SANITIZE TARGETS.
set(user ${WORK_DIR}/user-src)
set(tree ${WORK_DIR}/tree)
file(MAKE_DIRECTORY ${user})
configure_file(${SOURCE_DIR}/provider/drivers/cache/arm_smccc_cache.c
               ${user}/arm_smccc_cache.c COPYONLY)
configure_file(${SOURCE_DIR}/provider/lib/cache_maint.c ${user}/cache_maint.c COPYONLY)

function(run step)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bring-your-own ${step} failed (${rc})")
  endif()
endfunction()

run(configure ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${tree} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMOSIM_SANITIZE=${SANITIZE} -DCMOSIM_BUILD_TESTS=ON
    -DCMOSIM_PROVIDER_SRC=${user}/arm_smccc_cache.c
    -DCMOSIM_FRAMEWORK_SRC=${user}/cache_maint.c)
run(build ${CMAKE_COMMAND} --build ${tree} --parallel 2 --target ${TARGETS})
# Only the suites that run the user's code (their executables are the ones built).
run(test ${CMAKE_CTEST_COMMAND} --test-dir ${tree} --output-on-failure -L provider
    -R "^(Framework|Init/SmcccProvider|Delay/SmcccProvider|Status/SmcccProvider|SmcccProvider)")
