/*
 * What each QEMU firmware (its target.c) provides to the shared
 * test runner and the firmware-only suites.
 */
#ifndef DMABUF_FIRMWARE_TARGET_H
#define DMABUF_FIRMWARE_TARGET_H

#include <stdint.h>

/* Name printed in the run's first line, e.g. "qemu-mps2-an500". */
extern const char target_name[];

/* Clocks, interrupts, protection units: everything main() needs before the
 * suites run. Also starts the 1 kHz tick. */
void target_init(void);

/* Run @fn from the tick interrupt (NULL: nothing). The suites use it to
 * signal from real interrupt context. */
void target_on_tick(void (*fn)(void));

/* Whether interrupts are enabled right now (PRIMASK clear / mstatus.MIE set). */
int target_irq_enabled(void);

#endif /* DMABUF_FIRMWARE_TARGET_H */
