/* The exception fixup table: instructions allowed to fault (rdmsr_safe)
 * and where each resumes when it does. */
#pragma once

#include "cpu/traps.h"

/* If the faulting instruction of `tf` has a fixup, point tf->rip at it and
 * return true. */
bool extable_fixup(struct trap_frame *tf);
