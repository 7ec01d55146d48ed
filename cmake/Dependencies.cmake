# Every dependency comes from Debian's packages (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(ZLIB REQUIRED)
# Howard Hinnant's date (libhowardhinnant-date-dev): the club's time zone from the system's tz
# database (Debian builds it with USE_OS_TZDB), which GCC 12's <chrono> cannot read yet.
find_package(date CONFIG REQUIRED)

# Debian's Poco DataPostgreSQL package links to PostgreSQL::client, which nothing defines.
find_package(PostgreSQL QUIET)
if(PostgreSQL_FOUND AND NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()

find_package(Poco REQUIRED COMPONENTS Foundation Util Net NetSSL Crypto JSON Data DataSQLite)

if(CLUBSAFE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CLUBSAFE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
