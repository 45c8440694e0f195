// Linux system interfaces that Swift's Glibc module does not export: epoll, eventfd, gettid.
#ifndef CTGBOTLINUX_H
#define CTGBOTLINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/types.h>
#include <sys/resource.h>
#include <unistd.h>

/// The kernel thread id of the calling thread (gettid(2)).
pid_t ctgbot_gettid(void);

/// Names the calling thread (pthread_setname_np(3)); names longer than 15 bytes are truncated.
void ctgbot_set_thread_name(const char *name);

/// accept4(2) with the given flags (SOCK_NONBLOCK, SOCK_CLOEXEC); needs _GNU_SOURCE, hence the shim.
int ctgbot_accept4(int fd, void *address, unsigned int *length, int flags);

#endif
