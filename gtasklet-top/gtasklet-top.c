/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gtasklet-top: the tasklets of a running program, through its debug D-Bus interface
 * (org.gnome.Gtasklet.Debug1, see gtasklet/org.gnome.Gtasklet.Debug1.xml), refreshed like
 * top(1), or once as JSON for scripts. GLib and GIO only: it must run where the program
 * runs, without the library it looks at. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#define OBJECT_PATH     "/org/gnome/Gtasklet/Debug"
#define INTERFACE_NAME  "org.gnome.Gtasklet.Debug1"
#define BUS_NAME_PREFIX "org.gnome.Gtasklet.Debug.p"

typedef struct
{
  const char *key;
  char        hotkey;
  const char *field;
  gboolean    numeric;   /* numbers sort largest first */
} SortKey;

static const SortKey sort_keys[] = {
  { "name",    'n', "name",            FALSE },
  { "type",    'y', "type",            FALSE },
  { "thread",  'h', "thread",          FALSE },
  { "state",   's', "state",           FALSE },
  { "mailbox", 'm', "mailbox",         TRUE },
  { "steps",   'c', "steps",           TRUE },
  { "total",   't', "total-step-ns",   TRUE },
  { "longest", 'l', "longest-step-ns", TRUE },
};

typedef struct
{
  GDBusConnection *bus;
  char            *bus_name;
  const SortKey   *sort;
  guint            timeout_ms;
  int              iterations;
  int              frames;
  GMainLoop       *loop;
  int              status;
  gboolean         tty;
  gboolean         raw;
  struct termios   saved_termios;
} Top;

/* JSON ------------------------------------------------------------------------------------ */

static void
json_string (GString    *out,
             const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      unsigned char c = (unsigned char) *s;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
json_value (GString  *out,
            GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr (GVariant) inner = g_variant_get_variant (value);

      json_value (out, inner);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    g_string_append_printf (out, "%d", g_variant_get_int32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    json_string (out, g_variant_get_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      /* Keys in order, so that two snapshots compare line by line. */
      g_autoptr (GPtrArray) keys = g_ptr_array_new ();
      GVariantIter iter;
      const char *key;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
        g_ptr_array_add (keys, (gpointer) key);
      g_ptr_array_sort (keys, compare_keys);

      g_string_append_c (out, '{');
      for (guint i = 0; i < keys->len; i++)
        {
          g_autoptr (GVariant) child = g_variant_lookup_value (value, keys->pdata[i], NULL);

          if (i > 0)
            g_string_append (out, ", ");
          json_string (out, keys->pdata[i]);
          g_string_append (out, ": ");
          json_value (out, child);
        }
      g_string_append_c (out, '}');
    }
  else if (g_variant_is_container (value))
    {
      gsize n = g_variant_n_children (value);

      g_string_append_c (out, '[');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

          if (i > 0)
            g_string_append (out, ", ");
          json_value (out, child);
        }
      g_string_append_c (out, ']');
    }
  else
    g_string_append (out, "null");
}

/* Calls ----------------------------------------------------------------------------------- */

static GVariant *
get_tasklets (Top     *top,
              GError **error)
{
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "timeout-ms", g_variant_new_uint32 (top->timeout_ms));
  return g_dbus_connection_call_sync (top->bus, top->bus_name, OBJECT_PATH, INTERFACE_NAME,
                                      "GetTasklets", g_variant_new ("(a{sv})", &options),
                                      G_VARIANT_TYPE ("(aa{sv}a{sv})"),
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                      (int) top->timeout_ms + 5000, NULL, error);
}

static char **
list_exporters (GDBusConnection  *bus,
                GError          **error)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], BUS_NAME_PREFIX))
      g_ptr_array_add (found, g_strdup (names[i]));
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (found, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

static char *
get_program (GDBusConnection *bus,
             const char      *bus_name)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (bus, bus_name, OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", INTERFACE_NAME, "Program"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       2000, NULL, NULL);
  if (reply == NULL)
    return g_strdup ("?");
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

/* Display --------------------------------------------------------------------------------- */

static const char *
lookup_string (GVariant   *dict,
               const char *key,
               const char *fallback)
{
  const char *s;

  return g_variant_lookup (dict, key, "&s", &s) ? s : fallback;
}

static guint64
lookup_number (GVariant   *dict,
               const char *key)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value == NULL)
    return 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (value);
  return 0;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortKey *sort = user_data;
  GVariant *x = *(GVariant **) a;
  GVariant *y = *(GVariant **) b;
  int order;

  if (sort->numeric)
    {
      guint64 nx = lookup_number (x, sort->field), ny = lookup_number (y, sort->field);

      order = nx < ny ? 1 : nx > ny ? -1 : 0;
    }
  else
    order = g_strcmp0 (lookup_string (x, sort->field, ""), lookup_string (y, sort->field, ""));
  if (order == 0)
    order = g_strcmp0 (lookup_string (x, "name", ""), lookup_string (y, "name", ""));
  if (order == 0)
    order = lookup_number (x, "id") < lookup_number (y, "id") ? -1 : 1;
  return order;
}

static char *
truncate_to (const char *s,
             guint       width)
{
  if (g_utf8_strlen (s, -1) <= (glong) width)
    return g_strdup (s);
  return g_strconcat (g_utf8_substring (s, 0, width - 1), "…", NULL);
}

static void
print_frame (Top      *top,
             GVariant *reply)
{
  g_autoptr (GVariant) tasklets = g_variant_get_child_value (reply, 0);
  g_autoptr (GVariant) info = g_variant_get_child_value (reply, 1);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean statistics = FALSE, complete = TRUE;
  guint32 pid = 0, unresponsive = 0;
  const char *program = "";
  gsize n = g_variant_n_children (tasklets);

  g_variant_lookup (info, "pid", "u", &pid);
  g_variant_lookup (info, "program", "&s", &program);
  g_variant_lookup (info, "statistics", "b", &statistics);
  g_variant_lookup (info, "complete", "b", &complete);
  g_variant_lookup (info, "unresponsive-threads", "u", &unresponsive);

  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (rows, g_variant_get_child_value (tasklets, i));
  g_ptr_array_sort_with_data (rows, compare_rows, (gpointer) top->sort);

  if (top->tty)
    g_string_append (out, "\033[H\033[2J");
  g_string_append_printf (out, "gtasklet-top - %s (pid %u) - %" G_GSIZE_FORMAT " tasklet%s, "
                          "statistics %s, sorted by %s\n",
                          program, pid, n, n == 1 ? "" : "s", statistics ? "on" : "off",
                          top->sort->key);
  if (!complete)
    g_string_append_printf (out, "%u thread%s did not answer: their tasklets show only "
                            "name, type and state (marked !)\n",
                            unresponsive, unresponsive == 1 ? "" : "s");
  if (top->raw)
    g_string_append (out, "keys: n name, y type, h thread, s state, m mailbox, c steps, "
                     "t total, l longest, q quit\n");
  g_string_append_printf (out, "\n%-20s %-18s %-15s %-10s %5s %7s %9s %9s  %s\n",
                          "NAME", "TYPE", "THREAD", "STATE", "MBOX", "STEPS", "TOTAL-ms",
                          "LONG-us", "WAITS");

  for (guint i = 0; i < rows->len; i++)
    {
      GVariant *row = rows->pdata[i];
      gboolean responsive = TRUE;
      g_autofree const char **waits = NULL;
      g_autofree char *waits_text = NULL;
      g_autofree char *name = NULL, *type = NULL, *thread = NULL;
      g_autofree char *steps = NULL, *total = NULL, *longest = NULL, *mailbox = NULL;
      g_autofree char *line = NULL;

      g_variant_lookup (row, "responsive", "b", &responsive);
      if (!g_variant_lookup (row, "waits", "^a&s", &waits))
        waits = NULL;
      waits_text = waits != NULL ? g_strjoinv (" | ", (char **) waits) : g_strdup ("");
      name = truncate_to (lookup_string (row, "name", "-"), 20);
      type = truncate_to (lookup_string (row, "type", "?"), 18);
      thread = truncate_to (lookup_string (row, "thread", responsive ? "?" : "!"), 15);
      mailbox = g_variant_lookup (row, "mailbox", "u", NULL)
                  ? g_strdup_printf ("%" G_GUINT64_FORMAT, lookup_number (row, "mailbox"))
                  : g_strdup ("-");
      if (g_variant_lookup (row, "steps", "t", NULL))
        {
          steps = g_strdup_printf ("%" G_GUINT64_FORMAT, lookup_number (row, "steps"));
          total = g_strdup_printf ("%.3f", lookup_number (row, "total-step-ns") / 1e6);
          longest = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                     lookup_number (row, "longest-step-ns") / 1000);
        }
      line = g_strdup_printf ("%-20s %-18s %-15s %-10s %5s %7s %9s %9s  %s",
                              name, type, thread, lookup_string (row, "state", "?"), mailbox,
                              steps != NULL ? steps : "-", total != NULL ? total : "-",
                              longest != NULL ? longest : "-", waits_text);
      g_string_append (out, g_strchomp (line));
      g_string_append_c (out, '\n');
    }
  fputs (out->str, stdout);
  fflush (stdout);
}

/* Main loop ------------------------------------------------------------------------------- */

static void
restore_terminal (Top *top)
{
  if (top->raw)
    tcsetattr (STDIN_FILENO, TCSANOW, &top->saved_termios);
  top->raw = FALSE;
}

static gboolean
refresh (gpointer data)
{
  Top *top = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = get_tasklets (top, &error);

  if (reply == NULL)
    {
      g_printerr ("gtasklet-top: %s: %s\n", top->bus_name, error->message);
      top->status = 1;
      g_main_loop_quit (top->loop);
      return G_SOURCE_REMOVE;
    }
  /* Frames written to a file or a pipe follow each other, a blank line apart. */
  if (!top->tty && top->frames > 0)
    g_print ("\n");
  print_frame (top, reply);
  top->frames++;
  if (top->iterations > 0 && top->frames >= top->iterations)
    {
      g_main_loop_quit (top->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_key (int          fd,
        GIOCondition condition,
        gpointer     data)
{
  Top *top = data;
  char c;

  if (read (fd, &c, 1) != 1 || c == 'q')
    {
      g_main_loop_quit (top->loop);
      return G_SOURCE_REMOVE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sort_keys); i++)
    if (sort_keys[i].hotkey == c)
      {
        top->sort = &sort_keys[i];
        refresh (top);
      }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_interrupt (gpointer data)
{
  g_main_loop_quit (((Top *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static char *
choose_bus_name (GDBusConnection  *bus,
                 GError          **error)
{
  g_auto (GStrv) names = list_exporters (bus, error);

  if (names == NULL)
    return NULL;
  if (g_strv_length (names) == 1)
    return g_strdup (names[0]);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               g_strv_length (names) == 0
                 ? "no program exports the gtasklet debug interface on this bus "
                   "(run it with GTASKLET_DEBUG=dbus)"
                 : "several programs export the debug interface: choose one with --pid "
                   "(see --list)");
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *sort = NULL;
  g_autofree char *bus_name = NULL;
  gboolean json = FALSE, list = FALSE, stats = FALSE;
  int pid = 0, iterations = 0, timeout_ms = 500;
  double interval = 1.0;
  Top top = { 0 };
  GOptionEntry entries[] = {
    { "pid", 'p', 0, G_OPTION_ARG_INT, &pid, "The program's process id", "PID" },
    { "bus-name", 'b', 0, G_OPTION_ARG_STRING, &bus_name,
      "The program's bus name (a unique name such as :1.42 works too)", "NAME" },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, "List the programs exporting the interface",
      NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print one snapshot as JSON and exit", NULL },
    { "sort", 's', 0, G_OPTION_ARG_STRING, &sort,
      "Sort by name, type, thread, state, mailbox, steps, total or longest", "KEY" },
    { "interval", 'd', 0, G_OPTION_ARG_DOUBLE, &interval, "Seconds between refreshes (1)",
      "SECONDS" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
      "Stop after this many refreshes (0: until q or Ctrl-C)", "N" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout_ms,
      "Milliseconds to wait for the program's busy threads (500)", "MS" },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
      "Turn the program's statistics on (steps, step times)", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- show the tasklets of a running program");
  g_option_context_set_description (context,
    "The program must export the gtasklet debug interface: run it with GTASKLET_DEBUG=dbus,\n"
    "or call gtasklet_debug_export(). Keys while running: n y h s m c t l sort, q quits.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gtasklet-top: %s\n", error->message);
      return 2;
    }

  top.sort = &sort_keys[4];
  if (sort != NULL)
    {
      top.sort = NULL;
      for (guint i = 0; i < G_N_ELEMENTS (sort_keys); i++)
        if (g_str_equal (sort, sort_keys[i].key))
          top.sort = &sort_keys[i];
      if (top.sort == NULL)
        {
          g_printerr ("gtasklet-top: unknown sort key “%s”\n", sort);
          return 2;
        }
    }
  if (timeout_ms < 0 || timeout_ms > 60000 || interval <= 0 || iterations < 0)
    {
      g_printerr ("gtasklet-top: --timeout must be 0 to 60000, --interval positive, "
                  "--iterations not negative\n");
      return 2;
    }

  top.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (top.bus == NULL)
    {
      g_printerr ("gtasklet-top: %s\n", error->message);
      return 1;
    }

  if (list)
    {
      g_auto (GStrv) names = list_exporters (top.bus, &error);

      if (names == NULL)
        {
          g_printerr ("gtasklet-top: %s\n", error->message);
          return 1;
        }
      g_print ("%-8s %-36s %s\n", "PID", "BUS NAME", "PROGRAM");
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *program = get_program (top.bus, names[i]);

          g_print ("%-8s %-36s %s\n", names[i] + strlen (BUS_NAME_PREFIX), names[i], program);
        }
      g_object_unref (top.bus);
      return 0;
    }

  if (bus_name != NULL)
    top.bus_name = g_strdup (bus_name);
  else if (pid > 0)
    top.bus_name = g_strdup_printf (BUS_NAME_PREFIX "%d", pid);
  else if ((top.bus_name = choose_bus_name (top.bus, &error)) == NULL)
    {
      g_printerr ("gtasklet-top: %s\n", error->message);
      return 1;
    }
  top.timeout_ms = (guint) timeout_ms;

  if (stats)
    {
      g_autoptr (GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (top.bus, top.bus_name, OBJECT_PATH, INTERFACE_NAME,
                                           "SetStatisticsEnabled", g_variant_new ("(b)", TRUE),
                                           NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                                           &error);
      if (reply == NULL)
        {
          g_printerr ("gtasklet-top: %s: %s\n", top.bus_name, error->message);
          return 1;
        }
    }

  if (json)
    {
      g_autoptr (GVariant) reply = get_tasklets (&top, &error);
      g_autoptr (GVariant) tasklets = NULL;
      g_autoptr (GVariant) info = NULL;
      g_autoptr (GString) out = g_string_new (NULL);

      if (reply == NULL)
        {
          g_printerr ("gtasklet-top: %s: %s\n", top.bus_name, error->message);
          return 1;
        }
      g_variant_get (reply, "(@aa{sv}@a{sv})", &tasklets, &info);
      /* The info dictionary's members first, then the tasklets. */
      json_value (out, info);
      g_string_truncate (out, out->len - 1);
      g_string_append (out, out->len > 1 ? ", " : "");
      json_string (out, "bus-name");
      g_string_append (out, ": ");
      json_string (out, top.bus_name);
      g_string_append (out, ", \"tasklets\": ");
      json_value (out, tasklets);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
      g_free (top.bus_name);
      g_object_unref (top.bus);
      return 0;
    }

  top.loop = g_main_loop_new (NULL, FALSE);
  top.iterations = iterations;
  top.tty = isatty (STDOUT_FILENO);
  if (top.tty && isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &top.saved_termios) == 0)
    {
      struct termios raw = top.saved_termios;

      raw.c_lflag &= ~(ICANON | ECHO);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0)
        {
          top.raw = TRUE;
          g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_key, &top);
        }
    }
  g_unix_signal_add (SIGINT, on_interrupt, &top);
  g_unix_signal_add (SIGTERM, on_interrupt, &top);

  /* A quit before g_main_loop_run() would be lost: a single refresh runs no loop. */
  if (refresh (&top))
    {
      g_timeout_add ((guint) (interval * 1000), refresh, &top);
      g_main_loop_run (top.loop);
    }

  restore_terminal (&top);
  g_main_loop_unref (top.loop);
  g_free (top.bus_name);
  g_object_unref (top.bus);
  return top.status;
}
