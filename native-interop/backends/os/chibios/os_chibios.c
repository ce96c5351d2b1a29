/*
 * ChibiOS/RT port (os.h).
 *
 * The interrupt lock is the kernel lock taken with chSysGetStatusAndLockX,
 * which works from threads, ISRs and already-locked code alike. Inside it
 * only I-class functions may be called: dmabuf_event_signal (run by fence
 * callbacks under the lock) therefore uses chBSemSignalI, and the reschedule
 * a woken thread needs happens when the outermost lock is released
 * (chSysRestoreStatusX calls chSchRescheduleS in thread context; in an ISR,
 * CH_IRQ_EPILOGUE does it).
 */
#include <stdint.h>

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

int dmabuf_mutex_init(dmabuf_mutex_t *mutex)
{
	chMtxObjectInit(mutex);
	return 0;
}

void dmabuf_mutex_destroy(dmabuf_mutex_t *mutex)
{
	/* A ChibiOS mutex owns no resource: nothing to release. */
	(void)mutex;
}

void dmabuf_mutex_lock(dmabuf_mutex_t *mutex)
{
	chMtxLock(mutex);
}

void dmabuf_mutex_unlock(dmabuf_mutex_t *mutex)
{
	chMtxUnlock(mutex);
}

dmabuf_irq_key_t dmabuf_irq_lock(void)
{
	return chSysGetStatusAndLockX();
}

void dmabuf_irq_unlock(dmabuf_irq_key_t key)
{
	chSysRestoreStatusX(key);
}

/*
 * System ticks since start as 64 bits: systime_t is 16 or 32 bits and wraps
 * (a 32-bit counter at 10 kHz after 5 days), so elapsed ticks are accumulated
 * with chTimeDiffX, which is modular. Correct as long as the clock is read at
 * least once per wrap period, which every wait with a timeout does.
 */
static systime_t clock_last;
static uint64_t clock_ticks;

uint64_t dmabuf_time_us(void)
{
	syssts_t sts = chSysGetStatusAndLockX();
	systime_t now = chVTGetSystemTimeX();
	clock_ticks += chTimeDiffX(clock_last, now);
	clock_last = now;
	uint64_t ticks = clock_ticks;
	chSysRestoreStatusX(sts);
	/* Split so ticks * 1e6 cannot overflow. */
	return ticks / CH_CFG_ST_FREQUENCY * 1000000u + ticks % CH_CFG_ST_FREQUENCY * 1000000u / CH_CFG_ST_FREQUENCY;
}

int dmabuf_event_init(dmabuf_event_t *event)
{
	chBSemObjectInit(event, true); /* taken: the first wait blocks until a signal */
	return 0;
}

void dmabuf_event_destroy(dmabuf_event_t *event)
{
	/* Static object, no waiter left (the owner stopped waiting): nothing to do. */
	(void)event;
}

void dmabuf_event_signal(dmabuf_event_t *event)
{
	syssts_t sts = chSysGetStatusAndLockX();
	chBSemSignalI(event); /* already signalled: stays signalled */
	chSysRestoreStatusX(sts);
}

/* Ticks to wait for @timeout_us: rounded up, plus one for the partly elapsed
 * current tick (tick mode), so the wait lasts at least @timeout_us. Computed
 * in 64 bits: chTimeUS2I's argument type is 16 bits with 16-bit intervals. */
static sysinterval_t timeout_interval(uint32_t timeout_us)
{
	if (timeout_us == 0)
		return TIME_IMMEDIATE;
	if (timeout_us == UINT32_MAX)
		return TIME_INFINITE;
	uint64_t ticks = ((uint64_t)timeout_us * CH_CFG_ST_FREQUENCY + 999999u) / 1000000u + 1u;
	return ticks >= TIME_MAX_INTERVAL ? TIME_MAX_INTERVAL : (sysinterval_t)ticks;
}

int dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us)
{
	return chBSemWaitTimeout(event, timeout_interval(timeout_us)) == MSG_OK ? 0 : DMABUF_ETIMEDOUT;
}
