/*
 * QEMU riscv32 virt platform: console on the NS16550A UART, exit through the
 * SiFive test device, the clock and a 1 kHz tick from the CLINT machine timer.
 * Addresses: QEMU 7.2 hw/riscv/virt.c memory map; timebase 10 MHz
 * (RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dmabuf_os_port.h"
#include "target.h"

#define UART_THR (*(volatile uint8_t *)0x10000000u)
#define UART_LSR (*(volatile const uint8_t *)0x10000005u)
#define UART_LSR_THRE 0x20u
#define TEST_DEVICE (*(volatile uint32_t *)0x00100000u)
#define TEST_PASS 0x5555u
#define TEST_FAIL 0x3333u
#define MTIMECMP_LO (*(volatile uint32_t *)0x02004000u)
#define MTIMECMP_HI (*(volatile uint32_t *)0x02004004u)
#define MTIME_LO (*(volatile const uint32_t *)0x0200BFF8u)
#define MTIME_HI (*(volatile const uint32_t *)0x0200BFFCu)
#define TIMER_HZ 10000000u
#define TICKS_PER_MS (TIMER_HZ / 1000u)

#define MSTATUS_MIE 0x8u
#define MIE_MTIE 0x80u
#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_MACHINE_TIMER 7u

/* The rv32imac multilib predates the Zicsr split (see os_baremetal.c). */
#define ZICSR(insn) ".option push\n\t.option arch, +zicsr\n\t" insn "\n\t.option pop"

const char target_name[] = "qemu-riscv32-virt";

static void (*volatile tick_fn)(void);
static uint64_t next_tick;

static int uart_putc(char c, FILE *file)
{
	(void)file;
	while (!(UART_LSR & UART_LSR_THRE))
		;
	UART_THR = (uint8_t)c;
	return (unsigned char)c;
}

static FILE uart = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &uart;
FILE *const stderr = &uart;

/* picolibc's exit() ends here: the test device stops QEMU with our status. */
void _exit(int status)
{
	uint32_t code = status < 0 || status > 0xFFFF ? 0xFFFFu : (uint32_t)status;
	TEST_DEVICE = code ? (code << 16) | TEST_FAIL : TEST_PASS;
	for (;;)
		;
}

static uint64_t mtime(void)
{
	uint32_t hi, lo;
	do {
		hi = MTIME_HI;
		lo = MTIME_LO;
	} while (hi != MTIME_HI);
	return (uint64_t)hi << 32 | lo;
}

/* Written high word first (to all ones) so no intermediate value fires. */
static void set_mtimecmp(uint64_t at)
{
	MTIMECMP_HI = 0xFFFFFFFFu;
	MTIMECMP_LO = (uint32_t)at;
	MTIMECMP_HI = (uint32_t)(at >> 32);
}

uint64_t dmabuf_baremetal_time_us(void)
{
	return mtime() / (TIMER_HZ / 1000000u);
}

void target_on_tick(void (*fn)(void))
{
	tick_fn = fn;
}

int target_irq_enabled(void)
{
	uint32_t mstatus;
	__asm volatile(ZICSR("csrr %0, mstatus") : "=r"(mstatus));
	return (mstatus & MSTATUS_MIE) != 0;
}

__attribute__((interrupt("machine"), aligned(4))) static void trap_handler(void)
{
	uint32_t mcause, mepc;
	__asm volatile(ZICSR("csrr %0, mcause") : "=r"(mcause));
	if (mcause == (MCAUSE_INTERRUPT | MCAUSE_MACHINE_TIMER)) {
		next_tick += TICKS_PER_MS;
		set_mtimecmp(next_tick);
		void (*fn)(void) = tick_fn;
		if (fn)
			fn();
		return;
	}
	__asm volatile(ZICSR("csrr %0, mepc") : "=r"(mepc));
	printf("FATAL: trap mcause=0x%lx mepc=0x%lx\n", (unsigned long)mcause, (unsigned long)mepc);
	_exit(250);
}

void target_init(void)
{
	__asm volatile(ZICSR("csrw mtvec, %0") ::"r"((uintptr_t)trap_handler));
	next_tick = mtime() + TICKS_PER_MS;
	set_mtimecmp(next_tick);
	__asm volatile(ZICSR("csrs mie, %0") ::"r"(MIE_MTIE));
	__asm volatile(ZICSR("csrs mstatus, %0") ::"r"(MSTATUS_MIE));
}
