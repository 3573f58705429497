-- wrk: POST /v2/apps, each request a new 1-instance app with an id no other
-- thread or request uses.
-- thread_id is a global: setup() sets it in each thread's own Lua state.
local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format('{"id":"/bench/t%d-%d","cmd":"sleep 1000","cpus":0.01,"mem":1,"instances":1}',
                             thread_id, counter)
  return wrk.format(nil, "/v2/apps", nil, body)
end
