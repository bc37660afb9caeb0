#ifndef DD_SQLITE_SETUP_H
#define DD_SQLITE_SETUP_H

/// Turns off SQLite's process-wide memory statistics (SQLITE_CONFIG_MEMSTATUS), which take one
/// global mutex on every sqlite3_malloc and sqlite3_free of every connection. Must run before
/// SQLite initializes (the first connection opened): returns 0 when done, SQLITE_MISUSE (21)
/// when SQLite was already initialized and the setting can no longer change.
int dd_sqlite_disable_memory_statistics(void);

/// Bytes SQLite reports in use (0 while the statistics are off).
long long dd_sqlite_memory_used(void);

#endif
