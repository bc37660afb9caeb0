#include "dd_sqlite_setup.h"
#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call; this is its one use in dropdial.
int dd_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

long long dd_sqlite_memory_used(void) {
    return (long long)sqlite3_memory_used();
}
