# Warning flags for resizemix's own targets (tests, examples, benchmarks), never for
# the INTERFACE target: consumers choose their own flags.

# resizemix_add_warnings(<target>): -Wall -Wextra -Wpedantic, plus -Werror when
# RESIZEMIX_WARNINGS_AS_ERRORS is ON.
function(resizemix_add_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(RESIZEMIX_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(RESIZEMIX_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
