/*
 * The bare-metal OS port (native-interop/backends/os/baremetal) on the real
 * instruction set: interrupt lock nesting, the mutex, the clock, and events
 * signalled from a real interrupt (the firmware's 1 kHz tick).
 */
#include <stdint.h>

#include "dmabuf/errors.h"
#include "dmabuf/os.h"
#include "target.h"
#include "unit.h"

static void baremetal_irq_lock_nests_and_the_outer_unlock_restores(void)
{
	UNIT_ASSERT(target_irq_enabled());
	dmabuf_irq_key_t outer = dmabuf_irq_lock();
	UNIT_ASSERT(!target_irq_enabled());
	dmabuf_irq_key_t inner = dmabuf_irq_lock();
	dmabuf_irq_unlock(inner);
	int masked_after_inner = !target_irq_enabled();
	dmabuf_irq_unlock(outer);
	UNIT_ASSERT(masked_after_inner);
	UNIT_ASSERT(target_irq_enabled());
}

static void baremetal_mutex_masks_interrupts_while_held(void)
{
	dmabuf_mutex_t mutex;
	UNIT_EQ(dmabuf_mutex_init(&mutex), 0);
	dmabuf_mutex_lock(&mutex);
	int masked = !target_irq_enabled();
	dmabuf_mutex_unlock(&mutex);
	dmabuf_mutex_destroy(&mutex);
	UNIT_ASSERT(masked);
	UNIT_ASSERT(target_irq_enabled());
}

/* The core and the fence pool each have a mutex; releasing them out of order
 * must not unmask interrupts while one is still held. */
static void baremetal_mutexes_released_out_of_order_unmask_only_at_the_last(void)
{
	dmabuf_mutex_t a, b;
	UNIT_EQ(dmabuf_mutex_init(&a), 0);
	UNIT_EQ(dmabuf_mutex_init(&b), 0);
	dmabuf_mutex_lock(&a);
	dmabuf_mutex_lock(&b);
	dmabuf_mutex_unlock(&a);
	int masked_while_b_held = !target_irq_enabled();
	dmabuf_mutex_unlock(&b);
	UNIT_ASSERT(masked_while_b_held);
	UNIT_ASSERT(target_irq_enabled());
}

static void baremetal_clock_advances_with_the_tick(void)
{
	uint64_t start = dmabuf_time_us(), now = start;
	for (uint32_t spins = 0; now - start < 2000 && spins < 100000000u; spins++) {
		uint64_t later = dmabuf_time_us();
		UNIT_ASSERT(later >= now);
		now = later;
	}
	UNIT_ASSERT(now - start >= 2000);
}

static void baremetal_event_signalled_before_the_wait_is_consumed_once(void)
{
	dmabuf_event_t event;
	UNIT_EQ(dmabuf_event_init(&event), 0);
	dmabuf_event_signal(&event);
	UNIT_EQ(dmabuf_event_wait(&event, 0), 0);
	UNIT_EQ(dmabuf_event_wait(&event, 0), DMABUF_ETIMEDOUT);
	dmabuf_event_destroy(&event);
}

static void baremetal_event_wait_times_out_no_sooner_than_asked(void)
{
	dmabuf_event_t event;
	UNIT_EQ(dmabuf_event_init(&event), 0);
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_event_wait(&event, 3000), DMABUF_ETIMEDOUT);
	uint64_t waited = dmabuf_time_us() - start;
	UNIT_ASSERT(waited >= 3000);
	UNIT_ASSERT(waited < 3000 + 200000); /* woken by the tick, not stuck */
	UNIT_ASSERT(target_irq_enabled());
}

static dmabuf_event_t tick_event;
static volatile uint32_t ticks_until_signal;

static void signal_after_some_ticks(void)
{
	if (ticks_until_signal && --ticks_until_signal == 0)
		dmabuf_event_signal(&tick_event);
}

static void baremetal_event_signalled_from_an_interrupt_wakes_the_waiter(void)
{
	UNIT_EQ(dmabuf_event_init(&tick_event), 0);
	ticks_until_signal = 5;
	target_on_tick(signal_after_some_ticks);
	uint64_t start = dmabuf_time_us();
	int err = dmabuf_event_wait(&tick_event, 1000000);
	uint64_t waited = dmabuf_time_us() - start;
	target_on_tick(NULL);
	UNIT_EQ(err, 0);
	UNIT_EQ(ticks_until_signal, 0);
	UNIT_ASSERT(waited >= 3000);   /* 5 ticks of 1 ms, the first one partial */
	UNIT_ASSERT(waited < 500000);  /* woke on the signal, not the timeout */
}

const struct unit_suite suite_baremetal_os = UNIT_SUITE(baremetal_os,
	UNIT_TEST(baremetal_irq_lock_nests_and_the_outer_unlock_restores),
	UNIT_TEST(baremetal_mutex_masks_interrupts_while_held),
	UNIT_TEST(baremetal_mutexes_released_out_of_order_unmask_only_at_the_last),
	UNIT_TEST(baremetal_clock_advances_with_the_tick),
	UNIT_TEST(baremetal_event_signalled_before_the_wait_is_consumed_once),
	UNIT_TEST(baremetal_event_wait_times_out_no_sooner_than_asked),
	UNIT_TEST(baremetal_event_signalled_from_an_interrupt_wakes_the_waiter));
