/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* GTASKLET_DEBUG=dbus: export the debug interface on the session bus (gtasklet-debug.c). */
void _gtasklet_debug_init_from_env (void);

G_END_DECLS
