#ifndef ANNEAL_ALLOCATION_COUNTER_H
#define ANNEAL_ALLOCATION_COUNTER_H
#include <stdint.h>

/// How many heap allocations (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign) the process has made since it started. Linked
/// only into the benchmark, which interposes these functions to count them.
uint64_t anneal_allocation_count(void);

#endif
