-- wrk script: every request carries a fresh id and a valid HMAC-SHA256 signature.
--
-- The body is a fixed prefix (about 8 KB) and a short suffix holding the id. SHA-256 over the key
-- block and the prefix is computed once in init (the prefix is a whole number of 64-byte blocks),
-- so each request hashes one or two blocks and wrk's single core stays the server's, not ours.
-- The generated script defines PARAMS before this file's text and report.lua after it (bench/lib/wrk.ts).
local bit = require("bit")
local band, bor, bxor, bnot, rshift, lshift, ror, tobit, tohex =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.lshift, bit.ror, bit.tobit, bit.tohex

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
}
local IV = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }
for i = 1, 8 do IV[i] = tobit(IV[i]) end

local W = {}
local function compress(H, s, offset)
  for i = 0, 15 do
    local a, b, c, d = s:byte(offset + i * 4 + 1, offset + i * 4 + 4)
    W[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
  end
  for i = 16, 63 do
    local w15, w2 = W[i - 15], W[i - 2]
    local s0 = bxor(ror(w15, 7), ror(w15, 18), rshift(w15, 3))
    local s1 = bxor(ror(w2, 17), ror(w2, 19), rshift(w2, 10))
    W[i] = tobit(W[i - 16] + s0 + W[i - 7] + s1)
  end
  local a, b, c, d, e, f, g, h = H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
  for i = 0, 63 do
    local S1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
    local ch = bxor(band(e, f), band(bnot(e), g))
    local t1 = h + S1 + ch + K[i + 1] + W[i]
    local S0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
    local maj = bxor(band(a, b), band(a, c), band(b, c))
    h = g; g = f; f = e; e = tobit(d + t1); d = c; c = b; b = a; a = tobit(t1 + S0 + maj)
  end
  H[1] = tobit(H[1] + a); H[2] = tobit(H[2] + b); H[3] = tobit(H[3] + c); H[4] = tobit(H[4] + d)
  H[5] = tobit(H[5] + e); H[6] = tobit(H[6] + f); H[7] = tobit(H[7] + g); H[8] = tobit(H[8] + h)
end

local function be32(x) return string.char(band(rshift(x, 24), 255), band(rshift(x, 16), 255), band(rshift(x, 8), 255), band(x, 255)) end

-- Finishes a hash whose state H covers `done` bytes (whole blocks) with `tail` and the padding.
local function finish(H0, done, tail)
  local H = { H0[1], H0[2], H0[3], H0[4], H0[5], H0[6], H0[7], H0[8] }
  local bits = (done + #tail) * 8
  local zeros = (55 - #tail) % 64
  local block = tail .. "\128" .. string.rep("\0", zeros) .. be32(math.floor(bits / 4294967296)) .. be32(bits % 4294967296)
  for offset = 0, #block - 1, 64 do compress(H, block, offset) end
  return H
end

local function keyBlock(key, pad)
  local out = {}
  for i = 1, 64 do out[i] = string.char(bxor(key:byte(i) or 0, pad)) end
  return table.concat(out)
end

local inner, outer, innerLength
local counter = 0
local head

-- A request's id, as GitHub's X-GitHub-Delivery is: a GUID, random, so every stored delivery lands
-- at a random place in a delivery-id index as real traffic does (ids that counted up were appended,
-- cheaper for every server that indexes them). The last group holds the request's number, so the
-- ids of one run never repeat; the random part is seeded from the run's nonce, so runs differ.
local function guid(n)
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%08x",
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff), r(0, 0xfff), 0x8000 + r(0, 0x3fff), r(0, 0xffff), n)
end

function init(args)
  local seed = 0
  for i = 1, #PARAMS.nonce do seed = (seed * 31 + PARAMS.nonce:byte(i)) % 2147483647 end
  math.randomseed(seed)
  inner = { unpack(IV) }
  compress(inner, keyBlock(PARAMS.key, 0x36), 0)
  local signed = PARAMS.signedPrefix .. PARAMS.bodyPrefix
  assert(#signed % 64 == 0, "the signed prefix must be whole blocks")
  for offset = 0, #signed - 1, 64 do compress(inner, signed, offset) end
  innerLength = 64 + #signed
  outer = { unpack(IV) }
  compress(outer, keyBlock(PARAMS.key, 0x5c), 0)
  head = PARAMS.method .. " " .. PARAMS.path .. " HTTP/1.1\r\nHost: " .. PARAMS.host .. "\r\n" .. PARAMS.headers
end

function request()
  counter = counter + 1
  local id = guid(counter)
  local suffix = (PARAMS.suffix:gsub("{id}", id):gsub("{n}", tostring(counter)))
  local H = finish(inner, innerLength, suffix)
  local digest = be32(H[1]) .. be32(H[2]) .. be32(H[3]) .. be32(H[4]) .. be32(H[5]) .. be32(H[6]) .. be32(H[7]) .. be32(H[8])
  local O = finish(outer, 64, digest)
  local signature = tohex(O[1]) .. tohex(O[2]) .. tohex(O[3]) .. tohex(O[4]) .. tohex(O[5]) .. tohex(O[6]) .. tohex(O[7]) .. tohex(O[8])
  local body = PARAMS.bodyPrefix .. suffix
  local delivery = PARAMS.deliveryHeader ~= "" and (PARAMS.deliveryHeader .. ": " .. id .. "\r\n") or ""
  return head .. PARAMS.signatureHeader .. ": " .. PARAMS.signaturePrefix .. signature .. "\r\n" .. delivery ..
    "Content-Length: " .. #body .. "\r\n\r\n" .. body
end
