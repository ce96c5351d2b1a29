/*
 * The tiny OS port: a mutex, an interrupt lock, a monotonic clock and an event.
 *
 * One port is linked per build (native-interop/backends/os/<port>/). Each port
 * directory provides "dmabuf_os_port.h", which defines the object types below;
 * that directory is on the include path of the build that uses the port (the
 * lwIP sys_arch pattern), so the core embeds the objects without allocating.
 *
 * Contexts: mutex functions may block and are never called from an ISR.
 * dmabuf_irq_lock/unlock and dmabuf_event_signal are ISR-safe.
 */
#ifndef DMABUF_OS_H
#define DMABUF_OS_H

#include <stdint.h>

#include "dmabuf_os_port.h" /* dmabuf_mutex_t, dmabuf_event_t, dmabuf_irq_key_t */

/* Mutex, not recursive. init returns 0 or -ENOMEM/-EINVAL. */
int dmabuf_mutex_init(dmabuf_mutex_t *mutex);
void dmabuf_mutex_destroy(dmabuf_mutex_t *mutex);
void dmabuf_mutex_lock(dmabuf_mutex_t *mutex);
void dmabuf_mutex_unlock(dmabuf_mutex_t *mutex);

/* Short critical section against ISRs (and the other core): interrupts off /
 * spinlock. Never held across a wait. Nesting is allowed through the key. */
dmabuf_irq_key_t dmabuf_irq_lock(void);
void dmabuf_irq_unlock(dmabuf_irq_key_t key);

/* Monotonic microseconds since an arbitrary origin. ISR-safe: frame queues
 * stamp frames with it in a frame-done interrupt (queue.h). */
uint64_t dmabuf_time_us(void);

/*
 * A binary event: signal sets it (ISR-safe) and wakes a waiter; wait blocks
 * until set or @timeout_us passes (0 = poll, UINT32_MAX = forever) and
 * consumes it. @retval 0 signalled; -ETIMEDOUT.
 */
int dmabuf_event_init(dmabuf_event_t *event);
void dmabuf_event_destroy(dmabuf_event_t *event);
void dmabuf_event_signal(dmabuf_event_t *event);
int dmabuf_event_wait(dmabuf_event_t *event, uint32_t timeout_us);

#endif /* DMABUF_OS_H */
