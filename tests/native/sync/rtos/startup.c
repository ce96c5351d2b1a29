/*
 * Start-up for the RTOS port checks on QEMU mps2-an500: vector table, FPU on,
 * semihosting for printf and exit. With RTOS_THREADS_ON_PSP (ChibiOS: its
 * threads run on the process stack) main() already starts on the PSP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern uint32_t __bss_start__, __bss_end__, __stack_top, __process_stack_top;
extern int main(void);
void Reset_Handler(void);
void SVC_Handler(void);
void SysTick_Handler(void);
static void fault(void);
/* ChibiOS without simplified priorities switches in SVC only. */
void PendSV_Handler(void) __attribute__((weak, alias("fault")));

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void))(&__stack_top), Reset_Handler, fault, fault, fault, fault, fault, 0, 0, 0, 0,
	SVC_Handler, fault, 0, PendSV_Handler, SysTick_Handler,
};

static void fault(void)
{
	uint32_t ipsr;
	__asm volatile("mrs %0, ipsr" : "=r"(ipsr));
	printf("FAULT: exception %lu, CFSR %08lx, BFAR %08lx\n", (unsigned long)ipsr,
	       (unsigned long)*(volatile uint32_t *)0xE000ED28, (unsigned long)*(volatile uint32_t *)0xE000ED38);
	exit(99);
}

static void start(void)
{
	extern void initialise_monitor_handles(void);
	initialise_monitor_handles();
	exit(main());
}

void Reset_Handler(void)
{
	for (uint32_t *p = &__bss_start__; p < &__bss_end__; p++)
		*p = 0;
	*(volatile uint32_t *)0xE000ED88 |= 0xFu << 20; /* CPACR: CP10/CP11 full access */
	__asm volatile("dsb\n\tisb");
#ifdef RTOS_THREADS_ON_PSP
	/* CONTROL = FPCA | SPSEL: thread mode on the PSP, as ChibiOS's crt0 does. */
	__asm volatile("msr psp, %0\n\tmsr control, %1\n\tisb" ::"r"(&__process_stack_top), "r"(6u) : "memory");
#endif
	start();
}

void _fini(void)
{
}
