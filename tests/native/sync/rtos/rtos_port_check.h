/*
 * A run of the fence and queue code on a real RTOS under QEMU mps2-an500
 * (Cortex-M7), to check an OS port (native-interop/backends/os/<rtos>/)
 * beyond compiling: the RTOS glue (freertos_glue.c, chibios_glue.c) starts
 * the threads below and calls check_tick from its tick interrupt.
 * Built and run by run-rtos-ports.sh against kernels fetched outside the repo.
 */
#ifndef RTOS_PORT_CHECK_H
#define RTOS_PORT_CHECK_H

/* Every setup the glue needs before starting threads; 0 or a failure code. */
int check_init(void);
/* ISR context, once per millisecond: the simulated DMA-complete interrupt. */
void check_tick(void);
/* Thread bodies. check_waiter returns the number of failures once the
 * others are done; the glue then exits with it. */
int check_waiter(void);
void check_consumer(void);
void check_contender(void);

/* Provided by the glue. */
void rtos_sleep_ms(unsigned ms);
void rtos_yield(void);

#endif /* RTOS_PORT_CHECK_H */
