/* Host stand-ins for what the hypervisor provides at run time. */
#pragma once

/* Make the calling thread act as CPU `id` for cpu_id(). */
void host_set_cpu(unsigned id);

/* What cpu_count() answers. */
extern unsigned host_cpus;

/* The last message log_printf() formatted, for tests that check errors. */
extern char host_last_log[512];
