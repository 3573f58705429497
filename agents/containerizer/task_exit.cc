#include "agents/containerizer/task_exit.h"

#include <sys/wait.h>

#include <cstring>

namespace regatta::agent {

schema::TaskState TaskStateForExit(std::optional<int> wait_status, bool kill_requested) {
  if (kill_requested) return schema::TaskState::KILLED;
  if (!wait_status) return schema::TaskState::LOST;
  if (WIFEXITED(*wait_status) && WEXITSTATUS(*wait_status) == 0) {
    return schema::TaskState::FINISHED;
  }
  return schema::TaskState::FAILED;
}

int ExitCodeFor(std::optional<int> wait_status) {
  if (!wait_status) return -1;
  if (WIFEXITED(*wait_status)) return WEXITSTATUS(*wait_status);
  if (WIFSIGNALED(*wait_status)) return 128 + WTERMSIG(*wait_status);
  return -1;
}

std::string DescribeExit(std::optional<int> wait_status) {
  if (!wait_status) return "the executor vanished without recording an exit status";
  if (WIFEXITED(*wait_status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(*wait_status));
  }
  if (WIFSIGNALED(*wait_status)) {
    int sig = WTERMSIG(*wait_status);
    return "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  return "ended with wait status " + std::to_string(*wait_status);
}

}  // namespace regatta::agent
