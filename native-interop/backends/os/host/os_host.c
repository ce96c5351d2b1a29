/*
 * Host port: pthreads.
 *
 * The "interrupt lock" is one process-wide lock that a simulated interrupt
 * thread and the other threads use to exclude each other. It is a spinlock,
 * as on a multi-core MCU (ESP32's portMUX): it is held for a few dozen
 * instructions only, on the fence signal and queue hand-over paths whose cost
 * the project budgets (docs/sync-performance.md), and a pthread mutex would
 * cost more than the protected work. Nesting is recorded in the key: the
 * outermost lock returns 0 and is the one whose unlock releases.
 */
#define _GNU_SOURCE /* before any system header */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

int dmabuf_mutex_init(dmabuf_mutex_t *mutex)
{
	return pthread_mutex_init(mutex, NULL) == 0 ? 0 : DMABUF_ENOMEM;
}

void dmabuf_mutex_destroy(dmabuf_mutex_t *mutex)
{
	pthread_mutex_destroy(mutex);
}

void dmabuf_mutex_lock(dmabuf_mutex_t *mutex)
{
	pthread_mutex_lock(mutex);
}

void dmabuf_mutex_unlock(dmabuf_mutex_t *mutex)
{
	pthread_mutex_unlock(mutex);
}

/* The owner's token: the address of a thread-local, unique per live thread. */
static _Thread_local char irq_token;
static atomic_uintptr_t irq_owner;

dmabuf_irq_key_t dmabuf_irq_lock(void)
{
	uintptr_t self = (uintptr_t)&irq_token;
	/* Only this thread can have stored its own token: a relaxed read suffices. */
	if (atomic_load_explicit(&irq_owner, memory_order_relaxed) == self)
		return 1; /* nested */
	uintptr_t expected = 0;
	while (!atomic_compare_exchange_weak_explicit(&irq_owner, &expected, self, memory_order_acquire,
						      memory_order_relaxed)) {
		expected = 0;
		sched_yield(); /* the holder may be a preempted thread: let it run */
	}
	return 0;
}

void dmabuf_irq_unlock(dmabuf_irq_key_t key)
{
	if (key == 0)
		atomic_store_explicit(&irq_owner, 0, memory_order_release);
}

uint64_t dmabuf_time_us(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}

int dmabuf_event_init(dmabuf_event_t *event)
{
	pthread_condattr_t attr;
	if (pthread_condattr_init(&attr) != 0)
		return DMABUF_ENOMEM;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int cond_err = pthread_cond_init(&event->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (cond_err != 0)
		return DMABUF_ENOMEM;
	if (pthread_mutex_init(&event->lock, NULL) != 0) {
		pthread_cond_destroy(&event->cond);
		return DMABUF_ENOMEM;
	}
	event->set = false;
	return 0;
}

void dmabuf_event_destroy(dmabuf_event_t *event)
{
	pthread_cond_destroy(&event->cond);
	pthread_mutex_destroy(&event->lock);
}

void dmabuf_event_signal(dmabuf_event_t *event)
{
	pthread_mutex_lock(&event->lock);
	event->set = true;
	pthread_cond_signal(&event->cond);
	pthread_mutex_unlock(&event->lock);
}

int dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	uint64_t ns = (uint64_t)deadline.tv_nsec + (uint64_t)timeout_us * 1000u;
	deadline.tv_sec += (time_t)(ns / 1000000000u);
	deadline.tv_nsec = (long)(ns % 1000000000u);

	int result = 0;
	pthread_mutex_lock(&event->lock);
	while (!event->set) {
		if (timeout_us == 0) {
			result = DMABUF_ETIMEDOUT;
			break;
		}
		int err = timeout_us == UINT32_MAX ? pthread_cond_wait(&event->cond, &event->lock)
						   : pthread_cond_timedwait(&event->cond, &event->lock, &deadline);
		if (err == ETIMEDOUT && !event->set) {
			result = DMABUF_ETIMEDOUT;
			break;
		}
	}
	if (result == 0)
		event->set = false;
	pthread_mutex_unlock(&event->lock);
	return result;
}
