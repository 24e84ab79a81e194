/* Architectural exception vectors (SDM vol. 3 table 6-1, APM vol. 2 8.2)
 * that the hypervisor raises in guests or handles on their exits. */
#pragma once

#define VECTOR_DEBUG		1
#define VECTOR_NMI		2
#define VECTOR_BP		3
#define VECTOR_UD		6
#define VECTOR_SS		12
#define VECTOR_GP		13
#define VECTOR_PF		14
#define VECTOR_MACHINE_CHECK	18
