# Finds the five packages of the design card, all from Debian 12:
#   CAF 0.17.6, Cap'n Proto 0.9.2, librdkafka 2.0.2, GoogleTest, Google Benchmark
# and the helper libraries (CLI11, nlohmann-json). See ENGINEERING.md.

find_package(CapnProto CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(Threads REQUIRED)

find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKAXX REQUIRED IMPORTED_TARGET rdkafka++)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)  # the C admin API
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)  # the Kubernetes API's YAML bodies

# CAF 0.17 ships neither a CMake config nor a .pc file.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(CAF::core SHARED IMPORTED)
set_target_properties(CAF::core PROPERTIES
  IMPORTED_LOCATION ${CAF_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CAF_INCLUDE_DIR})
add_library(CAF::io SHARED IMPORTED)
set_target_properties(CAF::io PROPERTIES
  IMPORTED_LOCATION ${CAF_IO_LIBRARY}
  INTERFACE_LINK_LIBRARIES CAF::core)
message(STATUS "CAF: ${CAF_CORE_LIBRARY}; librdkafka++ ${RDKAFKAXX_VERSION}; "
               "Cap'n Proto ${CapnProto_VERSION}")

# kj-http, which ships with Cap'n Proto: the HTTP tier's server (api/http/).
pkg_check_modules(KJHTTP REQUIRED IMPORTED_TARGET kj-http kj-async kj)
