/*
 * ChibiOS/RT port types (RT 6.x / 7.x and later, with the OSLIB binary
 * semaphores). Needs CH_CFG_USE_MUTEXES and CH_CFG_USE_SEMAPHORES, and a
 * port with recursive lock support (chSysGetStatusAndLockX): every Cortex-M
 * port has it.
 */
#ifndef DMABUF_OS_PORT_H
#define DMABUF_OS_PORT_H

#include "ch.h"

#if CH_CFG_USE_MUTEXES != TRUE || CH_CFG_USE_SEMAPHORES != TRUE
#error "the DmaBuf ChibiOS port needs CH_CFG_USE_MUTEXES and CH_CFG_USE_SEMAPHORES"
#endif
#if CH_PORT_SUPPORTS_RECURSIVE_LOCKS != TRUE
#error "the DmaBuf ChibiOS port needs chSysGetStatusAndLockX (CH_PORT_SUPPORTS_RECURSIVE_LOCKS)"
#endif

typedef mutex_t dmabuf_mutex_t;
/* The kernel status saved by chSysGetStatusAndLockX: says whether the
 * caller already held the kernel lock, so the lock nests. */
typedef syssts_t dmabuf_irq_key_t;
typedef binary_semaphore_t dmabuf_event_t;

#endif /* DMABUF_OS_PORT_H */
