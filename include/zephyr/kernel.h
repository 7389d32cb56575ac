/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief A subset of Zephyr's kernel API on POSIX threads, provided by libllext-zephyr.
 *
 * Semaphores, mutexes, threads, timeouts, sleeping, uptime, cycle counter and heap, with
 * Zephyr's names, signatures and return values. What differs on Linux:
 *
 * - Threads are POSIX threads, scheduled by Linux. Priorities and options (K_ESSENTIAL,
 *   K_USER, ...) are stored and reported but change nothing: there is no cooperative
 *   priority, no preemption threshold, and a "cooperative" thread is preempted like any other.
 * - A thread's stack is allocated by the C library (its default size); the stack object and
 *   size given to k_thread_create() are not used, because Zephyr's stack sizes are far too
 *   small for Linux code such as printf. K_THREAD_STACK_DEFINE() still defines the object so
 *   that code taking its address or size compiles.
 * - There is no user mode: k_is_user_context() is false, K_USER is ignored, and permission
 *   grants do nothing.
 * - k_thread_abort() on another thread asks it to end; the thread ends within 10 ms of the
 *   request if it is waiting in, or next waits in, k_sleep(), k_sem_take(), k_mutex_lock() or
 *   k_thread_join() (its stack is abandoned, as in Zephyr: no C++ destructors run). A thread
 *   that computes, or blocks in the C library, is not stopped, and k_thread_abort() waits for
 *   it. Threads are never cancelled with pthread_cancel().
 * - A tick is a microsecond (CONFIG_SYS_CLOCK_TICKS_PER_SEC is 1000000) and a cycle a
 *   nanosecond of CLOCK_MONOTONIC; uptime counts from the moment libllext-zephyr was loaded.
 * - k_malloc() and friends are the C library's allocator.
 *
 * The extension must not be unloaded while one of its threads runs.
 */
#ifndef ZEPHYR_INCLUDE_KERNEL_H_
#define ZEPHYR_INCLUDE_KERNEL_H_

#include <zephyr/autoconf.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <zephyr/sys/printk.h>
#include <zephyr/sys/util.h>
#include <zephyr/toolchain.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- time ---- */

/** @brief Ticks per second: a tick is a microsecond. */
#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 1000000
/** @brief Hardware cycles per second: a cycle is a nanosecond. */
#define CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC 1000000000

/** @brief A count of ticks. */
typedef int64_t k_ticks_t;

/** @brief A timeout: a number of ticks, K_TICKS_FOREVER, or 0 for no wait. */
typedef struct {
	/** Ticks to wait. */
	k_ticks_t ticks;
} k_timeout_t;

/** @brief The tick count of K_FOREVER. */
#define K_TICKS_FOREVER ((k_ticks_t)-1)

/** @cond INTERNAL */
#ifdef __cplusplus
#define Z_TIMEOUT_TICKS(t) (k_timeout_t{(k_ticks_t)(t)})
#else
#define Z_TIMEOUT_TICKS(t) ((k_timeout_t){.ticks = (k_ticks_t)(t)})
#endif
/** @endcond */

/** @brief Do not wait. */
#define K_NO_WAIT Z_TIMEOUT_TICKS(0)
/** @brief Wait as long as it takes. */
#define K_FOREVER Z_TIMEOUT_TICKS(K_TICKS_FOREVER)
/** @brief A timeout of @p t ticks. */
#define K_TICKS(t) Z_TIMEOUT_TICKS(t)
/** @brief A timeout of @p t nanoseconds, rounded up to whole ticks. */
#define K_NSEC(t) Z_TIMEOUT_TICKS(((k_ticks_t)(t) + 999) / 1000)
/** @brief A timeout of @p t microseconds. */
#define K_USEC(t) Z_TIMEOUT_TICKS((k_ticks_t)(t))
/** @brief A timeout of @p ms milliseconds. */
#define K_MSEC(ms) Z_TIMEOUT_TICKS((k_ticks_t)(ms) * 1000)
/** @brief A timeout of @p s seconds. */
#define K_SECONDS(s) K_MSEC((k_ticks_t)(s) * 1000)
/** @brief A timeout of @p m minutes. */
#define K_MINUTES(m) K_SECONDS((k_ticks_t)(m) * 60)
/** @brief A timeout of @p h hours. */
#define K_HOURS(h) K_MINUTES((k_ticks_t)(h) * 60)
/** @brief True if timeouts @p a and @p b are the same. */
#define K_TIMEOUT_EQ(a, b) ((a).ticks == (b).ticks)

/** @brief Milliseconds since libllext-zephyr was loaded. */
int64_t k_uptime_get(void);
/** @brief k_uptime_get() cut to 32 bits. */
uint32_t k_uptime_get_32(void);
/** @brief Ticks (microseconds) since libllext-zephyr was loaded. */
int64_t k_uptime_ticks(void);
/** @brief Seconds since libllext-zephyr was loaded. */
uint32_t k_uptime_seconds(void);
/** @brief Milliseconds since @p *reftime, which is set to now. */
int64_t k_uptime_delta(int64_t *reftime);
/** @brief The cycle counter (nanoseconds), 32 bits: wraps every 4.3 seconds. */
uint32_t k_cycle_get_32(void);
/** @brief The cycle counter (nanoseconds), 64 bits. */
uint64_t k_cycle_get_64(void);
/** @brief Cycles per second of k_cycle_get_32(). */
int sys_clock_hw_cycles_per_sec(void);

/**
 * @brief Sleep for @p timeout (K_FOREVER: until the thread is aborted).
 * @return 0: a sleep is never cut short here, since there is no k_wakeup()
 */
int32_t k_sleep(k_timeout_t timeout);
/** @brief Sleep for @p ms milliseconds; returns 0. */
int32_t k_msleep(int32_t ms);
/** @brief Sleep for @p us microseconds; returns 0. */
int32_t k_usleep(int32_t us);
/** @brief Spin, without sleeping, for @p usec_to_wait microseconds. */
void k_busy_wait(uint32_t usec_to_wait);
/** @brief Let other threads run (sched_yield()). */
void k_yield(void);

/* ---- heap ---- */

/** @brief malloc(). */
void *k_malloc(size_t size);
/** @brief calloc(). */
void *k_calloc(size_t nmemb, size_t size);
/** @brief realloc(). */
void *k_realloc(void *ptr, size_t size);
/** @brief Memory aligned to @p align (a power of two), or NULL. */
void *k_aligned_alloc(size_t align, size_t size);
/** @brief free(). */
void k_free(void *ptr);

/* ---- threads ---- */

/** @brief Entry point of a thread. */
typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

/** @brief A thread's stack element; stacks are not used on Linux (see above). */
typedef struct z_thread_stack_element {
	/** One byte. */
	char data;
} k_thread_stack_t;

/** @brief Define a thread stack object of @p size bytes (not used on Linux). */
#define K_THREAD_STACK_DEFINE(sym, size) k_thread_stack_t sym[size] __aligned(16)
/** @brief Define a kernel thread stack object (not used on Linux). */
#define K_KERNEL_STACK_DEFINE(sym, size) K_THREAD_STACK_DEFINE(sym, size)
/** @brief Define @p nmemb thread stack objects (not used on Linux). */
#define K_THREAD_STACK_ARRAY_DEFINE(sym, nmemb, size) k_thread_stack_t sym[nmemb][size] __aligned(16)
/** @brief Declare a thread stack object defined elsewhere. */
#define K_THREAD_STACK_EXTERN(sym) extern k_thread_stack_t sym[]
/** @brief Size of thread stack object @p sym. */
#define K_THREAD_STACK_SIZEOF(sym) sizeof(sym)
/** @brief Size of kernel stack object @p sym. */
#define K_KERNEL_STACK_SIZEOF(sym) sizeof(sym)

/** @brief Thread option: essential (stored only). */
#define K_ESSENTIAL BIT(0)
/** @brief Thread option: uses floating point (stored only). */
#define K_FP_REGS BIT(1)
/** @brief Thread option: user mode (stored only: there is no user mode). */
#define K_USER BIT(2)
/** @brief Thread option: inherit permissions (stored only). */
#define K_INHERIT_PERMS BIT(3)

/** @brief Number of cooperative priorities (they order nothing on Linux). */
#define CONFIG_NUM_COOP_PRIORITIES 16
/** @brief Number of preemptible priorities (they order nothing on Linux). */
#define CONFIG_NUM_PREEMPT_PRIORITIES 15
/** @brief Cooperative priority @p x. */
#define K_PRIO_COOP(x) (-(CONFIG_NUM_COOP_PRIORITIES - (x)))
/** @brief Preemptible priority @p x. */
#define K_PRIO_PREEMPT(x) (x)
/** @brief Lowest priority of application threads. */
#define K_LOWEST_APPLICATION_THREAD_PRIO (CONFIG_NUM_PREEMPT_PRIORITIES - 1)
/** @brief Highest priority of application threads. */
#define K_HIGHEST_APPLICATION_THREAD_PRIO (-CONFIG_NUM_COOP_PRIORITIES)
/** @brief Longest thread name, terminating NUL included. */
#define CONFIG_THREAD_MAX_NAME_LEN 16

/** @brief A thread. Its fields are libllext-zephyr's; extension code uses the functions. */
struct k_thread {
	/** The POSIX thread, once started. */
	pthread_t pthread;
	/** Entry point and its arguments. */
	k_thread_entry_t entry;
	/** First argument of @c entry. */
	void *p1;
	/** Second argument of @c entry. */
	void *p2;
	/** Third argument of @c entry. */
	void *p3;
	/** Priority, as given (no effect). */
	int prio;
	/** Options, as given (no effect). */
	uint32_t options;
	/** Delay before the entry point runs. */
	k_timeout_t delay;
	/** Where the thread is in its life (libllext-zephyr's), under @c lock. */
	int state;
	/** True once the POSIX thread has been joined. */
	bool reaped;
	/** Set (atomically) by k_thread_abort(); the thread's waits look at it. */
	int aborting;
	/** Where the thread leaves its entry point when aborted. */
	jmp_buf exit_jmp;
	/** Guards @c state. */
	pthread_mutex_t lock;
	/** Signalled when the thread ends. */
	pthread_cond_t done;
	/** Name set with k_thread_name_set(). */
	char name[CONFIG_THREAD_MAX_NAME_LEN];
};

/** @brief A thread's identity: a pointer to its struct k_thread. */
typedef struct k_thread *k_tid_t;

/**
 * @brief Create a thread that runs @p entry(@p p1, @p p2, @p p3) after @p delay.
 *
 * With K_FOREVER the thread waits for k_thread_start(). @p stack, @p stack_size, @p prio and
 * @p options are kept but not used (see above).
 *
 * @return @p new_thread, or NULL if the POSIX thread could not be created
 */
k_tid_t k_thread_create(struct k_thread *new_thread, k_thread_stack_t *stack, size_t stack_size,
			k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
			uint32_t options, k_timeout_t delay);
/** @brief Start a thread created with a K_FOREVER delay. */
void k_thread_start(k_tid_t thread);
/**
 * @brief Wait for @p thread to end.
 * @retval 0 it ended (or had already)
 * @retval -EBUSY K_NO_WAIT and it runs
 * @retval -EAGAIN the timeout passed
 * @retval -EDEADLK @p thread is the caller
 */
int k_thread_join(struct k_thread *thread, k_timeout_t timeout);
/** @brief End @p thread: at once for the caller, at its next wait for another (see above). */
void k_thread_abort(k_tid_t thread);
/**
 * @brief The calling thread. A thread that k_thread_create() did not make (the host's main
 * thread, say) gets a struct k_thread of its own the first time it asks.
 */
k_tid_t k_current_get(void);
/** @brief The calling thread, as k_current_get(). */
k_tid_t k_sched_current_thread_query(void);
/** @brief Name @p thread (at most CONFIG_THREAD_MAX_NAME_LEN - 1 characters); returns 0. */
int k_thread_name_set(k_tid_t thread, const char *str);
/** @brief The name of @p thread, "" if none was set. */
const char *k_thread_name_get(k_tid_t thread);
/** @brief The priority @p thread was given. */
int k_thread_priority_get(k_tid_t thread);
/** @brief Change the stored priority of @p thread (no effect on scheduling). */
void k_thread_priority_set(k_tid_t thread, int prio);
/** @brief False: extensions on Linux run in the host's context; there is no user mode. */
bool k_is_user_context(void);
/** @brief False: there are no interrupts on Linux. */
bool k_is_in_isr(void);

/** @brief Grant @p thread access to kernel objects: nothing to do without user mode. */
#define k_thread_access_grant(thread, ...) ((void)(thread))
/** @brief Grant @p thread access to @p object: nothing to do without user mode. */
#define k_object_access_grant(object, thread) ((void)(object), (void)(thread))

/* ---- semaphores ---- */

/** @brief Largest semaphore limit. */
#define K_SEM_MAX_LIMIT UINT_MAX

/** @brief A counting semaphore. */
struct k_sem {
	/** Guards @c count. */
	pthread_mutex_t lock;
	/** Signalled by k_sem_give() and k_sem_reset(). */
	pthread_cond_t cond;
	/** Current count. */
	unsigned int count;
	/** Largest count. */
	unsigned int limit;
	/** Bumped by k_sem_reset(), which makes waiters give up with -EAGAIN. */
	unsigned int resets;
};

/** @brief Define and initialise a semaphore at file scope. */
#define K_SEM_DEFINE(name, initial_count, count_limit)                                             \
	struct k_sem name = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,                  \
			     (initial_count), (count_limit), 0}

/**
 * @brief Initialise a semaphore.
 * @retval 0 success
 * @retval -EINVAL @p limit is 0 or less than @p initial_count
 */
int k_sem_init(struct k_sem *sem, unsigned int initial_count, unsigned int limit);
/**
 * @brief Take the semaphore, waiting up to @p timeout.
 * @retval 0 taken
 * @retval -EBUSY K_NO_WAIT and the count is 0
 * @retval -EAGAIN the timeout passed, or the semaphore was reset meanwhile
 */
int k_sem_take(struct k_sem *sem, k_timeout_t timeout);
/** @brief Give the semaphore: increment the count unless it is at the limit. */
void k_sem_give(struct k_sem *sem);
/** @brief Set the count to 0; waiting threads get -EAGAIN. */
void k_sem_reset(struct k_sem *sem);
/** @brief The current count. */
unsigned int k_sem_count_get(struct k_sem *sem);

/* ---- mutexes ---- */

/** @brief A mutex a thread may lock again; each lock needs its unlock. */
struct k_mutex {
	/** Guards the other fields. */
	pthread_mutex_t lock;
	/** Signalled when the mutex is freed. */
	pthread_cond_t cond;
	/** Thread holding it, or NULL. */
	struct k_thread *owner;
	/** How many times the owner locked it. */
	uint32_t lock_count;
};

/** @brief Define and initialise a mutex at file scope. */
#define K_MUTEX_DEFINE(name)                                                                       \
	struct k_mutex name = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0}

/** @brief Initialise a mutex; returns 0. */
int k_mutex_init(struct k_mutex *mutex);
/**
 * @brief Lock the mutex, waiting up to @p timeout.
 * @retval 0 locked (again, if the caller held it)
 * @retval -EBUSY K_NO_WAIT and another thread holds it
 * @retval -EAGAIN the timeout passed
 */
int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout);
/**
 * @brief Unlock the mutex once.
 * @retval 0 unlocked
 * @retval -EINVAL it was not locked
 * @retval -EPERM another thread holds it
 */
int k_mutex_unlock(struct k_mutex *mutex);

#ifdef __cplusplus
}
#endif

#endif /* ZEPHYR_INCLUDE_KERNEL_H_ */
