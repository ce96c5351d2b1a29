/*
 * Start-up of the self-test image on the STM32F769I-DISCO: the vector
 * table (exceptions only: the self-test enables no interrupt), reset, and
 * a fault report on the console.
 *
 * The part boots from flash through its ITCM alias (BOOT_ADD0 0x0080 =
 * 0x00200000 as shipped, RM0410 boot configuration) and runs the image linked at
 * its AXIM address 0x08000000; VTOR is pointed there so both agree.
 */
#include <stdint.h>
#include <string.h>

#include "disco.h"

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int main(void);

void Reset_Handler(void);
void Fault_Handler(void);

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

/* Exceptions 1-15 (ARMv7-M ARM §B1.5.2); external interrupts stay off. */
__attribute__((section(".isr_vector"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void))(uintptr_t)_estack,
	Reset_Handler,
	Fault_Handler, /* NMI */
	Fault_Handler, /* HardFault */
	Fault_Handler, /* MemManage */
	Fault_Handler, /* BusFault */
	Fault_Handler, /* UsageFault */
	0, 0, 0, 0,
	Fault_Handler, /* SVCall */
	Fault_Handler, /* DebugMonitor */
	0,
	Fault_Handler, /* PendSV */
	Fault_Handler, /* SysTick */
};

static void park(void)
{
	for (;;)
		__asm volatile("wfi");
}

void Reset_Handler(void)
{
	SCB_VTOR = (uint32_t)(uintptr_t)vectors;
	memcpy(_sdata, _sidata, (size_t)((uintptr_t)_edata - (uintptr_t)_sdata));
	memset(_sbss, 0, (size_t)((uintptr_t)_ebss - (uintptr_t)_sbss));
	(void)main();
	/* The report is on the console; the board stays up for reading it. */
	park();
}

/* Written to the USART directly: the fault may have hit inside printf. If
 * it hit before the console was set up, nothing comes out. */
void Fault_Handler(void)
{
	static const char message[] = "\nselftest: fault exception, stopped\n";
	disco_console_write(message, sizeof(message) - 1u);
	park();
}
