//! Cryptocurrency wallet addresses: Bitcoin base58check (P2PKH/P2SH) and bech32/bech32m
//! (segwit), Ethereum addresses with the EIP-55 mixed-case checksum when mixed case is used.

use super::{Check, Validator};
use sha2::{Digest, Sha256};
use sha3::Keccak256;

const B58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn base58_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(32);
    for &c in s {
        let mut carry = B58.iter().position(|&x| x == c)? as u32;
        for b in out.iter_mut().rev() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.iter().take_while(|&&c| c == b'1').count();
    let mut v = vec![0u8; zeros];
    v.extend(out);
    Some(v)
}

fn base58check_ok(s: &[u8]) -> bool {
    let Some(raw) = base58_decode(s) else {
        return false;
    };
    if raw.len() != 25 {
        return false;
    }
    let (payload, sum) = raw.split_at(21);
    let h = Sha256::digest(Sha256::digest(payload));
    h[..4] == *sum && (payload[0] == 0x00 || payload[0] == 0x05)
}

fn bech32_polymod(values: &[u8]) -> u32 {
    const G: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for &v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v as u32;
        for (i, g) in G.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn bech32_ok(s: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower = s.to_ascii_lowercase();
    if lower != s && s.to_ascii_uppercase() != s {
        return false;
    }
    let Some(sep) = memchr::memrchr(b'1', &lower) else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if hrp != b"bc" || data.len() < 6 {
        return false;
    }
    let mut values: Vec<u8> = hrp.iter().map(|c| c >> 5).collect();
    values.push(0);
    values.extend(hrp.iter().map(|c| c & 31));
    for c in data {
        match CHARSET.iter().position(|x| x == c) {
            Some(p) => values.push(p as u8),
            None => return false,
        }
    }
    let m = bech32_polymod(&values);
    m == 1 || m == 0x2bc830a3
}

pub struct Bitcoin;
impl Validator for Bitcoin {
    fn check(&self, c: &[u8]) -> Check {
        if c.len() > 3 && c[..3].eq_ignore_ascii_case(b"bc1") {
            Check::from_bool(bech32_ok(c))
        } else {
            Check::from_bool(base58check_ok(c))
        }
    }
}

pub struct Ethereum;
impl Validator for Ethereum {
    fn check(&self, c: &[u8]) -> Check {
        if c.len() != 42 || !c.starts_with(b"0x") || !c[2..].iter().all(u8::is_ascii_hexdigit) {
            return Check::Invalid;
        }
        let hex = &c[2..];
        let has_upper = hex.iter().any(u8::is_ascii_uppercase);
        let has_lower = hex.iter().any(u8::is_ascii_lowercase);
        if !(has_upper && has_lower) {
            // Single-case hex carries no checksum: an address shape, nothing more.
            return Check::Weak;
        }
        let lower = hex.to_ascii_lowercase();
        let hash = Keccak256::digest(&lower);
        for (i, &ch) in hex.iter().enumerate() {
            if ch.is_ascii_digit() {
                continue;
            }
            let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0xf;
            if (nibble >= 8) != ch.is_ascii_uppercase() {
                return Check::Invalid;
            }
        }
        Check::Valid
    }
}

/// Either kind of wallet address, told apart by its `0x` prefix.
pub struct CryptoWallet;
impl Validator for CryptoWallet {
    fn check(&self, c: &[u8]) -> Check {
        if c.starts_with(b"0x") {
            Ethereum.check(c)
        } else {
            Bitcoin.check(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::assert_table;
    use super::*;
    #[test]
    fn table() {
        assert_table(
            &Bitcoin,
            &[
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            ],
            &[
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
                "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
            ],
        );
        assert_table(
            &Ethereum,
            &[
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0x52908400098527886e0f7030069857d2e4169ee7",
            ],
            &[
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA",
            ],
        );
    }
}
