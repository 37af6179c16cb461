-- Turns a fresh Lua 5.1 state into Redis 7.0's scripting environment (script_lua.c, eval.c,
-- function_lua.c). Runs once per state, before any user code, with the standard libraries that
-- Redis loads (base, table, string, math, debug). Receives the Java side's functions in J and the
-- engine kind ('eval' or 'function'); returns the internal functions the Java side keeps.
--
-- Redis's Lua has "readonly tables" built into its VM; stock Lua 5.1 does not. They are emulated
-- here: every table a script can reach from its globals is replaced by an empty proxy whose
-- metatable reads through to the real table and refuses writes. The thread's global table is the
-- proxy of the real globals, so assignments to globals (also from loadstring'ed chunks) fail as
-- in Redis. The raw functions that could see through or write into a proxy (rawset, rawget,
-- next, pairs, ipairs, setmetatable, getmetatable, table.insert/remove/sort, load/loadstring)
-- are wrapped.
local J, kind = ...

local dbg = debug
debug = nil

local type, error, tostring, select, unpack = type, error, tostring, select, unpack
local raw_setmetatable, raw_getmetatable = setmetatable, getmetatable
local raw_rawset, raw_rawget, raw_next, raw_ipairs = rawset, rawget, next, ipairs
local raw_pcall, raw_loadstring, raw_load = pcall, loadstring, load
local tinsert, tremove, tsort = table.insert, table.remove, table.sort
local floor = math.floor
local byte, sub, find = string.byte, string.sub, string.find

local READONLY = 'Attempt to modify a readonly table'

local real_of = raw_setmetatable({}, {__mode = 'k'})   -- proxy -> real table
local shown_meta = raw_setmetatable({}, {__mode = 'k'}) -- proxy -> what getmetatable shows
local NONE = {}

local function refuse_write() error(READONLY, 2) end

local function is_readonly(t) return real_of[t] ~= nil end

-- A readonly proxy of t. getmetatable on it shows `shown` (NONE for no metatable).
local function proxy(t, shown)
  local p = {}
  raw_setmetatable(p, {__index = t, __newindex = function() error(READONLY, 2) end})
  real_of[p] = t
  shown_meta[p] = shown or NONE
  return p
end

-- Replaces, inside t, every table value by its readonly proxy (recursively), as Redis's
-- luaSetTableProtectionRecursively; returns the proxy of t itself.
local protected = raw_setmetatable({}, {__mode = 'k'})
local function protect(t)
  if real_of[t] then return t end
  if protected[t] then return protected[t] end
  local mt = raw_getmetatable(t)
  local p = proxy(t, mt and protect(mt) or NONE)
  protected[t] = p
  for k, v in raw_next, t do
    if type(v) == 'table' and not real_of[v] then raw_rawset(t, k, protect(v)) end
  end
  return p
end

-- ---------------------------------------------------------------- sandboxed builtins

local function real(t) return real_of[t] or t end

setmetatable = function(t, mt)
  if is_readonly(t) then error(READONLY, 0) end
  return raw_setmetatable(t, mt)
end

getmetatable = function(o)
  local shown = shown_meta[o]
  if shown ~= nil then
    if shown == NONE then return nil end
    return shown
  end
  return raw_getmetatable(o)
end

rawset = function(t, k, v)
  if is_readonly(t) then error(READONLY, 0) end
  return raw_rawset(t, k, v)
end

rawget = function(t, k) return raw_rawget(real(t), k) end

next = function(t, k) return raw_next(real(t), k) end

pairs = function(t) return next, real(t), nil end

ipairs = function(t) return raw_ipairs(real(t)) end

table.insert = function(t, ...)
  if is_readonly(t) then error(READONLY, 0) end
  return tinsert(t, ...)
end

table.remove = function(t, ...)
  if is_readonly(t) then error(READONLY, 0) end
  return tremove(t, ...)
end

table.sort = function(t, ...)
  if is_readonly(t) then error(READONLY, 0) end
  return tsort(t, ...)
end

-- Redis's Lua refuses precompiled chunks: loadstring(string.dump(f)) yields nil.
local function text_only(chunk)
  return type(chunk) ~= 'string' or byte(chunk, 1) ~= 27
end

loadstring = function(chunk, name)
  if not text_only(chunk) then return nil, 'binary code not loaded' end
  return raw_loadstring(chunk, name)
end

load = function(f, name)
  if type(f) == 'function' then
    local first = true
    local saw_binary = false
    local function reader()
      local piece = f()
      if first and type(piece) == 'string' and #piece > 0 then
        first = false
        if byte(piece, 1) == 27 then saw_binary = true; return nil end
      end
      return piece
    end
    local fn, err = raw_load(reader, name)
    if saw_binary then return nil, 'binary code not loaded' end
    return fn, err
  end
  return raw_load(f, name)
end

-- Redis's pcall (luaRedisPcall): an error table carrying a string 'err' becomes that string.
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local s = e.err
    if type(s) == 'string' or type(s) == 'number' then return false, s end
    return false, e, s
  end
  return false, e
end
pcall = function(...) return pcall_result(raw_pcall(...)) end

-- math.random / math.randomseed on Redis's redisLrand48 (same sequence on every platform).
math.random, math.randomseed = J.random, J.randomseed

-- Redis 7.0's globals and nothing else (script_lua.c's allow lists, as 7.0.15 exposes them).
local ALLOWED = {}
for name in string.gmatch('string cjson bit cmsgpack math table struct redis xpcall tostring ' ..
    'setmetatable next assert tonumber rawequal collectgarbage getmetatable rawset pcall coroutine ' ..
    'type _G select unpack gcinfo pairs rawget loadstring ipairs _VERSION load error', '%S+') do
  ALLOWED[name] = true
end

-- ---------------------------------------------------------------- the redis table

-- luaPushErrorBuff: "-CODE msg" keeps CODE, anything else gets ERR; the message is trimmed.
local function trim_crlf(s)
  local i, j = 1, #s
  while i <= j and (byte(s, i) == 13 or byte(s, i) == 10) do i = i + 1 end
  while j >= i and (byte(s, j) == 13 or byte(s, j) == 10) do j = j - 1 end
  return sub(s, i, j)
end

local function error_table(s)
  local code, msg
  if byte(s, 1) == 45 then
    local sp = find(s, ' ', 1, true)
    if sp then code, msg = sub(s, 2, sp - 1), sub(s, sp + 1) else code, msg = 'ERR', sub(s, 2) end
  else
    code, msg = 'ERR', s
  end
  local nul = find(msg, '\0', 1, true)
  if nul then msg = sub(msg, 1, nul - 1) end
  return {err = code .. ' ' .. trim_crlf(msg)}
end

local redis = {
  call = J.call,
  pcall = J.pcall,
  log = J.log,
  setresp = J.setresp,
  sha1hex = J.sha1hex,
  set_repl = J.set_repl,
  acl_check_cmd = J.acl_check_cmd,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = J.version, REDIS_VERSION_NUM = J.version_num,
}

redis.error_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
  if byte(s, 1) ~= 45 then s = '-' .. s end
  return error_table(s)
end

redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
  return {ok = s}
end

if kind == 'eval' then
  redis.breakpoint = function() return false end
  redis.debug = function() end
  redis.replicate_commands = function() return true end
end

-- luajava keeps a Java exception raised by a Java function in the global __jthrowable__ (and
-- clears it after every call): its own names (__j...) stay writable and readable.
local function luajava_name(k)
  return type(k) == 'string' and sub(k, 1, 3) == '__j'
end

-- The globals: readonly, and reading a missing one is an error (luaSetErrorMetatable).
local function missing_global(t, k)
  if luajava_name(k) then return nil end
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end

local G = _G
G.redis = redis
G.cjson, G.cmsgpack, G.struct, G.bit = J.cjson, J.cmsgpack, J.struct, J.bit
local unwanted = {}
for k in raw_next, G do
  if not ALLOWED[k] then unwanted[#unwanted + 1] = k end
end
for _, k in raw_ipairs(unwanted) do raw_rawset(G, k, nil) end
local G_meta = {__index = missing_global}

-- What user code sees as _G and as its environment.
for k, v in raw_next, G do
  if type(v) == 'table' and v ~= G then raw_rawset(G, k, protect(v)) end
end
local P = {}
local P_meta = {__index = G, __newindex = function(t, k, v)
  if luajava_name(k) then raw_rawset(G, k, v) return end
  error(READONLY, 2)
end}
raw_setmetatable(P, P_meta)
real_of[P] = G
shown_meta[P] = protect(G_meta)
raw_setmetatable(G, G_meta)
raw_rawset(G, '_G', P)

-- Strings index the readonly string table; getmetatable('') shows a readonly view.
local string_meta = raw_getmetatable('')
string_meta.__index = raw_rawget(G, 'string')
local string_meta_view = protect(string_meta)
local gm = getmetatable
getmetatable = function(o)
  if type(o) == 'string' then return string_meta_view end
  return gm(o)
end
raw_rawset(G, 'getmetatable', getmetatable)

-- Functions: while a library loads, its code sees only the library API (luaEngineCreate).
local LIB = nil
if kind == 'function' then
  local lib_redis = {
    register_function = J.register_function,
    log = J.log,
    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
    REDIS_VERSION = J.version, REDIS_VERSION_NUM = J.version_num,
  }
  raw_setmetatable(lib_redis, {__index = missing_global})
  local lib = {redis = lib_redis}
  raw_setmetatable(lib, {__index = missing_global})
  LIB = protect(lib)
end

-- ---------------------------------------------------------------- internals for the Java side

-- The pcall error handler of every run (__redis__err__handler): the error as a table with the
-- position of the Lua code that raised it.
local getinfo = dbg.getinfo
local function handler(err)
  -- Where the error comes from: the user's code, past the C function that raised it (as
  -- Redis's handler) and past this file's own functions (the sandbox's wrappers).
  local level = 2
  local i = getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.source == '=env') do
    level = level + 1
    i = getinfo(level, 'nSl')
  end
  if type(err) ~= 'table' or real_of[err] then err = {err = 'ERR ' .. tostring(err)} end
  if i then
    raw_rawset(real(err), 'source', i.source)
    raw_rawset(real(err), 'line', i.currentline)
  end
  return err
end

-- The instruction-count hook (luaMaskCountHook): asks Java whether to stop the script. Once
-- killed, it fires on every line so that pcall cannot swallow the kill.
local interrupt = J.interrupt
local sethook = dbg.sethook
local function hook()
  local e = interrupt()
  if e then
    sethook(hook, 'l')
    error(e)
  end
end
local function arm(count)
  if count and count > 0 then sethook(hook, '', count) else sethook() end
end

local function set_load_mode(on)
  if on then P_meta.__index = LIB else P_meta.__index = G end
end

return {
  handler = handler,
  arm = arm,
  globals = G,
  env = P,
  set_load_mode = set_load_mode,
  error_table = error_table,
  protect = protect,
}
