/*
 * The OS port wrappers (os_faults.h).
 */
#include "os_faults.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

int __real_dmabuf_mutex_init(dmabuf_mutex_t *mutex);
void __real_dmabuf_mutex_destroy(dmabuf_mutex_t *mutex);
int __real_dmabuf_event_init(dmabuf_event_t *event);
int __real_dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us);
void __real_dmabuf_event_destroy(dmabuf_event_t *event);

int __wrap_dmabuf_mutex_init(dmabuf_mutex_t *mutex);
void __wrap_dmabuf_mutex_destroy(dmabuf_mutex_t *mutex);
int __wrap_dmabuf_event_init(dmabuf_event_t *event);
int __wrap_dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us);
void __wrap_dmabuf_event_destroy(dmabuf_event_t *event);

static uint32_t mutex_countdown, event_countdown;
static int32_t mutexes, events;

struct hook {
	void (*fn)(void *);
	void *arg;
};
static struct hook on_init, after_wait;

static void arm_hook(struct hook *hook, void (*fn)(void *), void *arg)
{
	__atomic_store_n(&hook->arg, arg, __ATOMIC_RELAXED);
	__atomic_store_n(&hook->fn, fn, __ATOMIC_RELEASE);
}

/* One shot: the first caller takes it. */
static void run_hook(struct hook *hook)
{
	void (*fn)(void *) = __atomic_exchange_n(&hook->fn, NULL, __ATOMIC_ACQUIRE);
	if (fn)
		fn(__atomic_load_n(&hook->arg, __ATOMIC_RELAXED));
}

void os_faults_on_event_init(void (*hook)(void *), void *arg)
{
	arm_hook(&on_init, hook, arg);
}

void os_faults_after_event_wait(void (*hook)(void *), void *arg)
{
	arm_hook(&after_wait, hook, arg);
}

void os_faults_fail_mutex_init(uint32_t nth)
{
	__atomic_store_n(&mutex_countdown, nth, __ATOMIC_RELAXED);
}

void os_faults_fail_event_init(uint32_t nth)
{
	__atomic_store_n(&event_countdown, nth, __ATOMIC_RELAXED);
}

int32_t os_faults_mutexes_alive(void)
{
	return __atomic_load_n(&mutexes, __ATOMIC_RELAXED);
}

int32_t os_faults_events_alive(void)
{
	return __atomic_load_n(&events, __ATOMIC_RELAXED);
}

/* True if this call is the armed one (the countdown reaches 0 here). */
static int armed(uint32_t *countdown)
{
	uint32_t left = __atomic_load_n(countdown, __ATOMIC_RELAXED);
	while (left != 0) {
		if (__atomic_compare_exchange_n(countdown, &left, left - 1u, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return left == 1u;
	}
	return 0;
}

int __wrap_dmabuf_mutex_init(dmabuf_mutex_t *mutex)
{
	if (armed(&mutex_countdown))
		return DMABUF_ENOMEM;
	int err = __real_dmabuf_mutex_init(mutex);
	if (err == 0)
		__atomic_fetch_add(&mutexes, 1, __ATOMIC_RELAXED);
	return err;
}

void __wrap_dmabuf_mutex_destroy(dmabuf_mutex_t *mutex)
{
	__atomic_fetch_sub(&mutexes, 1, __ATOMIC_RELAXED);
	__real_dmabuf_mutex_destroy(mutex);
}

int __wrap_dmabuf_event_init(dmabuf_event_t *event)
{
	run_hook(&on_init);
	if (armed(&event_countdown))
		return DMABUF_ENOMEM;
	int err = __real_dmabuf_event_init(event);
	if (err == 0)
		__atomic_fetch_add(&events, 1, __ATOMIC_RELAXED);
	return err;
}

void __wrap_dmabuf_event_destroy(dmabuf_event_t *event)
{
	__atomic_fetch_sub(&events, 1, __ATOMIC_RELAXED);
	__real_dmabuf_event_destroy(event);
}

int __wrap_dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us)
{
	int result = __real_dmabuf_event_wait(event, timeout_us);
	run_hook(&after_wait);
	return result;
}
