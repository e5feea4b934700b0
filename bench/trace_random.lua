
math.randomseed(os.time())
request = function()
  local n = math.random(1, 1000000)
  return wrk.format("GET", string.format("/01/08938503990011/10/L%07d", n))
end
