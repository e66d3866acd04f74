// libedit's readline-compatible API. Never <readline/readline.h>: GNU readline's
// headers are installed on the same machines and would shadow libedit's.
#include <stdio.h>
#include <editline/readline.h>
