# Helpers shared by every maplex module: warnings per target and a uniform library layout.

function(maplex_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast
                                           # GCC 12 false positive on string concatenation (GCC bug 105329)
                                           -Wno-restrict)
endfunction()

# maplex_add_module(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates library maplex_<name> with alias maplex::<name>; public headers live in
# <name>/include/maplex/<name>/, private sources in <name>/src/.
function(maplex_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(maplex_${name} STATIC ${ARG_SOURCES})
  add_library(maplex::${name} ALIAS maplex_${name})
  target_include_directories(maplex_${name}
    PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(maplex_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  maplex_set_warnings(maplex_${name})
  # Installed as maplex::<name> (find_package(maplex), cmake/maplexConfig.cmake.in).
  set_target_properties(maplex_${name} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS maplex_${name} EXPORT maplexTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
