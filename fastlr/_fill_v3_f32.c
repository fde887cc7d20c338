/* float32 vector fills for x86-64-v3, in float32 math: see _fill_isa.h */
#define FL_ISA_TARGET "arch=x86-64-v3"
#define FL_FILL_NAME fl_fill_v3_f32
#define FL_FILL_SYMBOL "fl_fill_f32.arch_x86_64_v3"
#define FL_FILL_TYPE float
#define FL_F32_MATH 1
#include "_fill_isa.h"
