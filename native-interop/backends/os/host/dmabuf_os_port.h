/* Host (POSIX threads) port types. */
#ifndef DMABUF_OS_PORT_H
#define DMABUF_OS_PORT_H

#include <pthread.h>
#include <stdbool.h>

typedef pthread_mutex_t dmabuf_mutex_t;
typedef int dmabuf_irq_key_t;
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool set;
} dmabuf_event_t;

#endif /* DMABUF_OS_PORT_H */
