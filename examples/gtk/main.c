/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A GTK 4 window driven by tasklets: four jobs (a timer, a child process, a file read and a
 * prime count on a worker thread of the default pool) run concurrently, each with live
 * progress and a Cancel button wired to its tasklet's cancellable, and a coordinator tasklet
 * follows them through their messages.
 *
 *   gtasklet-gtk-demo [--file FILE] [--self-test [--cancel JOB] [--screenshot PNG
 *                     [--screenshot-page jobs|tasklets]]]
 *
 * --file picks the file the file job reads (this program itself by default). --self-test
 * drives the window headless-friendly, as a person would (Start, then Cancel on JOB: timer,
 * process, file or primes), checks what it shows, prints TAP-like lines and exits 0 if every
 * check passed; --screenshot then saves the window as a PNG. */

#include "demo-self-test.h"
#include "demo-window.h"

static char *file_arg;
static gboolean self_test;
static char *cancel_arg;
static char *screenshot_arg;
static char *screenshot_page_arg;
static int exit_status;

static const GOptionEntry options[] = {
  { "file", 0, 0, G_OPTION_ARG_FILENAME, &file_arg, "The file the file job reads", "FILE" },
  { "self-test", 0, 0, G_OPTION_ARG_NONE, &self_test, "Drive the window and check it", NULL },
  { "cancel", 0, 0, G_OPTION_ARG_STRING, &cancel_arg,
    "The job the self-test cancels: timer, process (default), file or primes", "JOB" },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot_arg,
    "Where the self-test saves the window as a PNG", "PNG" },
  { "screenshot-page", 0, 0, G_OPTION_ARG_STRING, &screenshot_page_arg,
    "The page shown in the screenshot: jobs (default) or tasklets", "PAGE" },
  { NULL }
};

static void
on_self_test_finished (GtaskletTasklet *tasklet,
                       GApplication    *application)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);
  const GValue *result = gtasklet_tasklet_get_result (tasklet);

  if (error != NULL)
    {
      g_print ("not ok - the self-test failed: %s\n", error->message);
      exit_status = 1;
    }
  else
    exit_status = g_value_get_int (result);
  g_application_quit (application);
}

static void
on_activate (GtkApplication *application)
{
  g_autoptr (GFile) file = NULL;
  DemoWindow *window;

  file = g_file_new_for_path (file_arg != NULL ? file_arg : "/proc/self/exe");
  window = demo_window_new (application, file);
  gtk_window_present (GTK_WINDOW (window));

  if (self_test)
    {
      g_autoptr (GtaskletTasklet) test = NULL;

      test = demo_self_test_new (window, cancel_arg != NULL ? cancel_arg : DEMO_JOB_PROCESS,
                                 screenshot_arg, screenshot_page_arg);
      if (test == NULL)
        {
          g_printerr ("Unknown job: %s\n", cancel_arg);
          exit_status = 2;
          g_application_quit (G_APPLICATION (application));
          return;
        }
      gtasklet_tasklet_set_name (test, "self-test");
      g_signal_connect (test, "finished", G_CALLBACK (on_self_test_finished), application);
      gtasklet_tasklet_start (test);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GtkApplication) application = NULL;
  int status;

  application = gtk_application_new ("org.gtasklet.Demo", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries (G_APPLICATION (application), options);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);
  status = g_application_run (G_APPLICATION (application), argc, argv);
  g_free (file_arg);
  g_free (cancel_arg);
  g_free (screenshot_arg);
  g_free (screenshot_page_arg);
  return self_test ? exit_status : status;
}
