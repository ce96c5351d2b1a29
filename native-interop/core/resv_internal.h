/*
 * What the core's map / CPU access / put paths call on the reservation table
 * (resv.c). Private to native-interop/core.
 */
#ifndef DMABUF_CORE_RESV_INTERNAL_H
#define DMABUF_CORE_RESV_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/resv.h"
#include "internal.h"

/*
 * The implicit sync of dmabuf_begin_cpu_access (@buffer) and dmabuf_map
 * (@attachment's buffer): wait, with the table's implicit timeout, for the
 * fences a writer (@write) or a reader conflicts with, unless the buffer
 * opted out. Call WITHOUT the context lock (it takes it briefly; the wait
 * itself holds no lock). @caller names the public function in messages.
 * @retval 0; -EBADF; -ETIMEDOUT (reported); a failed writer's error (reads).
 */
int dmabuf_resv_implicit_wait_buffer(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write,
				     const char *caller);
int dmabuf_resv_implicit_wait_attachment(struct dmabuf_resv_table *table, dmabuf_handle_t attachment,
					 bool device_writes, const char *caller);

/* Buffer slot @slot died (refcount 0): drop its fences now instead of at the
 * slot's next use. Context lock held. */
void dmabuf_resv_buffer_released(struct dmabuf_resv_table *table, uint16_t slot);

#endif /* DMABUF_CORE_RESV_INTERNAL_H */
