/* The per-step segment hint (fl_program.last in _engine_c.pxd).
 *
 * s(t) first tries the segment of the previous call, then bisects. Threads
 * calling one schedule at once share the hint: every value any of them
 * stores is a valid segment index, so a stale one only costs a bisection.
 * The loads and stores are relaxed atomics, which makes the sharing
 * race-free in the C memory model (what a free-threaded CPython needs) at the
 * cost of a plain load or store on x86-64 and AArch64.
 */
#ifndef FASTLR_HINT_H
#define FASTLR_HINT_H
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define FL_HINT_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define FL_HINT_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#elif defined(_MSC_VER)
/* MSVC: aligned word-sized volatile accesses are single, untorn loads/stores */
#define FL_HINT_LOAD(p) (*(volatile Py_ssize_t *)(p))
#define FL_HINT_STORE(p, v) (*(volatile Py_ssize_t *)(p) = (v))
#else
#error "fastlr needs GCC/Clang atomics or MSVC for the shared segment hint"
#endif

static inline Py_ssize_t fl_hint_load(const Py_ssize_t *hint) { return FL_HINT_LOAD(hint); }
static inline void fl_hint_store(Py_ssize_t *hint, Py_ssize_t value) { FL_HINT_STORE(hint, value); }

#endif /* FASTLR_HINT_H */
