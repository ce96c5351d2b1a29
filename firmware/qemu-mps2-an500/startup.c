/*
 * Cortex-M7 start-up for QEMU mps2-an500: vector table, reset, fault handlers.
 *
 * Reset sets up C by hand instead of newlib's rdimon crt0, whose _start asks
 * the debugger (semihosting SYS_HEAPINFO) where the stack goes: QEMU answers
 * from the machine's RAM size, an address this board does not have there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target_cortex_m7.h"

extern uint32_t __bss_start__[], __bss_end__[], __stack_top[];
extern void initialise_monitor_handles(void);
int main(void);

void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void SysTick_Handler(void);

/* Exceptions 1-15; no external interrupt is used. */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void))(uintptr_t)__stack_top,
	Reset_Handler,
	Default_Handler,   /* NMI */
	HardFault_Handler,
	MemManage_Handler,
	Default_Handler,   /* BusFault */
	Default_Handler,   /* UsageFault */
	0, 0, 0, 0,
	Default_Handler,   /* SVCall */
	Default_Handler,   /* DebugMonitor */
	0,
	Default_Handler,   /* PendSV */
	SysTick_Handler,
};

void Reset_Handler(void)
{
	memset(__bss_start__, 0, (size_t)((uintptr_t)__bss_end__ - (uintptr_t)__bss_start__));
	initialise_monitor_handles();
	exit(main());
}

/* A stray access to a device-owned buffer is reported and retried; MemManage
 * escalates to HardFault when it hits with interrupts masked. Anything else
 * ends the run. */
void MemManage_Handler(void)
{
	if (!target_mpu_fault_handled())
		target_fatal("MemManage fault outside any device-owned buffer");
}

void HardFault_Handler(void)
{
	if (!target_mpu_fault_handled())
		target_fatal("HardFault");
}

void Default_Handler(void)
{
	target_fatal("unexpected exception");
}
