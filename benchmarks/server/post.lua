-- wrk: POST the body in BODY_FILE with the headers in HEADERS ("name: value" lines, separated by |)
local f = io.open(os.getenv("BODY_FILE"), "r")
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
for h in string.gmatch(os.getenv("HEADERS") or "", "[^|]+") do
  local name, value = string.match(h, "^%s*([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end
