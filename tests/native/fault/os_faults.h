/*
 * Fault injection into the OS port (backends/os/host): the host test binary
 * is linked with -Wl,--wrap for the port's init, destroy and wait functions
 * (tests/native/CMakeLists.txt), so every call reaches the wrappers in
 * os_faults.c. They forward to the port, count the objects alive, and make
 * the n-th next init fail when a test arms them. Counters are atomic: the
 * threaded suites of the same binary create events concurrently.
 */
#ifndef OS_FAULTS_H
#define OS_FAULTS_H

#include <stdint.h>

/* The @nth next dmabuf_mutex_init / dmabuf_event_init (1 = the next one)
 * returns -ENOMEM without creating anything. 0 disarms. */
void os_faults_fail_mutex_init(uint32_t nth);
void os_faults_fail_event_init(uint32_t nth);

/*
 * Run @hook(@arg) once, inside the next dmabuf_event_init (before it creates
 * the event) or right after the next dmabuf_event_wait returns: a race
 * window of the caller made deterministic (e.g. a fence released or
 * signalled between a waiter's status read and its registration, or
 * between its timeout and its unregistering). NULL disarms.
 */
void os_faults_on_event_init(void (*hook)(void *), void *arg);
void os_faults_after_event_wait(void (*hook)(void *), void *arg);

/* Objects created and not yet destroyed, process-wide. */
int32_t os_faults_mutexes_alive(void);
int32_t os_faults_events_alive(void);

#endif /* OS_FAULTS_H */
