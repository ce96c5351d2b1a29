/* ChibiOS/RT side of the port check: static threads, main() as the waiter,
 * the SysTick handler driving the kernel's tick (no HAL here) and, once per
 * millisecond, the simulated DMA interrupt. */
#include "ch.h"
#include "rtos_port_check.h"

/* QEMU's mps2 core clock. */
#define CORE_CLOCK_HZ 25000000u

void rtos_sleep_ms(unsigned ms)
{
	chThdSleepMilliseconds(ms);
}

void rtos_yield(void)
{
	chThdYield();
}

CH_IRQ_HANDLER(SysTick_Handler)
{
	static unsigned ticks;
	CH_IRQ_PROLOGUE();
	chSysLockFromISR();
	chSysTimerHandlerI();
	chSysUnlockFromISR();
	if (++ticks % (CH_CFG_ST_FREQUENCY / 1000) == 0)
		check_tick();
	CH_IRQ_EPILOGUE();
}

static THD_WORKING_AREA(consumer_area, 2048);
static THD_WORKING_AREA(contender1_area, 2048);
static THD_WORKING_AREA(contender2_area, 2048);

static THD_FUNCTION(consumer_thread, arg)
{
	(void)arg;
	check_consumer();
}

static THD_FUNCTION(contender_thread, arg)
{
	(void)arg;
	check_contender();
}

int main(void)
{
	chSysInit();
	int err = check_init();
	if (err)
		return err;
	/* An ISR that calls the kernel must sit below its lock (BASEPRI). */
	NVIC_SetPriority(SysTick_IRQn, 8);
	SysTick->LOAD = CORE_CLOCK_HZ / CH_CFG_ST_FREQUENCY - 1u;
	SysTick->VAL = 0;
	SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
	chThdCreateStatic(consumer_area, sizeof(consumer_area), NORMALPRIO + 1, consumer_thread, NULL);
	chThdCreateStatic(contender1_area, sizeof(contender1_area), NORMALPRIO - 1, contender_thread, NULL);
	chThdCreateStatic(contender2_area, sizeof(contender2_area), NORMALPRIO - 1, contender_thread, NULL);
	return check_waiter();
}
