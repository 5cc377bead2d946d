// A pool of worker threads for the optimizers' parallel loops, which spin
// for a short while after each job before they sleep, as OpenMP's do.
//
// Why not GCD's concurrentPerform: with a worker asleep, its share of a
// loop started about 27 microseconds late (median; a few percent of the
// time the calling thread ran both shares itself), four times per step of
// an optimizer over four tensors, and an optimizer step over 10 million
// parameters took 5-15% longer than the same loop driven by spinning
// threads. Here consecutive jobs (one per tensor) find the workers awake.
#include "optim_support.h"

#if defined(__linux__)
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/// How long a worker keeps checking for the next job before it sleeps.
#define ANNEAL_POOL_SPIN_NANOSECONDS 200000L

/// At most this many workers (beyond the calling thread).
#define ANNEAL_POOL_MAX_WORKERS 63

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_workers;  // started workers; 0 when none could start

// The current job, written by the caller holding pool_lock before it
// publishes a new generation (release), read by workers after they see it
// (acquire).
static anneal_pool_task job_task;
static void *job_context;
static long job_count;

static _Atomic unsigned generation;  // futex word: bumped once per job
static _Atomic long remaining;       // workers not yet done with the current job
static _Atomic int sleepers;         // workers in (or entering) futex_wait

static long futex(_Atomic unsigned *word, int op, unsigned value) {
    return syscall(SYS_futex, (unsigned *)word, op, value, NULL, NULL, 0);
}

static long long now_nanoseconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

static inline void pause_briefly(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *worker_main(void *argument) {
    const long index = (long)argument;  // 1...pool_workers; the caller is 0
    // Workers start before the first job is published (start_pool runs
    // once, before any), so generation 0 is the one they have seen.
    unsigned seen = 0;
    for (;;) {
        // Wait for the next generation: spin, then sleep on the futex.
        unsigned current = atomic_load_explicit(&generation, memory_order_acquire);
        if (current == seen) {
            long long deadline = now_nanoseconds() + ANNEAL_POOL_SPIN_NANOSECONDS;
            for (int spins = 1; current == seen; spins++) {
                pause_briefly();
                current = atomic_load_explicit(&generation, memory_order_acquire);
                if (current == seen && (spins & 255) == 0 && now_nanoseconds() > deadline) {
                    // Sequentially consistent with the caller's bump and its
                    // check of `sleepers`: either it sees this sleeper and
                    // wakes it, or the futex sees the new generation.
                    atomic_fetch_add(&sleepers, 1);
                    while ((current = atomic_load(&generation)) == seen) {
                        futex(&generation, FUTEX_WAIT_PRIVATE, seen);
                    }
                    atomic_fetch_sub(&sleepers, 1);
                }
            }
        }
        seen = current;
        // Every worker acknowledges every job, with a share or without: the
        // caller waits for all of them, so none can still be reading this
        // job's fields when the next one replaces them.
        if (index < job_count) job_task(job_context, index);
        atomic_fetch_sub_explicit(&remaining, 1, memory_order_release);
    }
    return NULL;
}

static void start_pool(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long wanted = cores > 1 ? cores - 1 : 0;
    if (wanted > ANNEAL_POOL_MAX_WORKERS) wanted = ANNEAL_POOL_MAX_WORKERS;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    for (long index = 1; index <= wanted; index++) {
        pthread_t thread;
        // Workers are numbered in order, so a failure leaves 1...pool_workers.
        if (pthread_create(&thread, &attributes, worker_main, (void *)index) != 0) break;
        pool_workers = (int)index;
    }
    pthread_attr_destroy(&attributes);
}

int anneal_pool_run(long count, anneal_pool_task task, void *context) {
    if (count < 2) return 0;
    pthread_once(&pool_once, start_pool);
    if (count - 1 > pool_workers) return 0;
    // One job at a time: a caller that finds the pool busy (another thread's
    // loop, or a loop inside a task) runs its loop another way.
    if (pthread_mutex_trylock(&pool_lock) != 0) return 0;
    job_task = task;
    job_context = context;
    job_count = count;
    atomic_store_explicit(&remaining, pool_workers, memory_order_relaxed);
    atomic_fetch_add(&generation, 1);  // publishes the job (sequentially consistent)
    if (atomic_load(&sleepers) > 0) futex(&generation, FUTEX_WAKE_PRIVATE, INT_MAX);
    task(context, 0);
    while (atomic_load_explicit(&remaining, memory_order_acquire) > 0) pause_briefly();
    pthread_mutex_unlock(&pool_lock);
    return 1;
}

#else

int anneal_pool_run(long count, anneal_pool_task task, void *context) {
    (void)count, (void)task, (void)context;
    return 0;
}

#endif
