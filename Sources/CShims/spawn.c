// CShims: posix_spawn extensions that need _GNU_SOURCE.
#define _GNU_SOURCE
#include <spawn.h>

#include "CShims.h"

int cshims_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
