//! The write token: `POST /api/documents` needs `Authorization: Bearer TOKEN`.
//!
//! The presented token is compared with the server's in time that depends only on the
//! presented token's length (which the client knows anyway): every byte is compared,
//! the lengths are folded into the result instead of returning early, so the time of a
//! refusal tells nothing about how much of the token was right nor how long it is.

use axum::http::{header, HeaderMap, StatusCode};

use crate::api::ApiError;
use crate::state::AppState;

/// Whether `presented` equals `secret`, compared in constant time for a given length of
/// `presented`: one pass over all of `presented`, each byte against the secret's byte
/// at the same position (cyclically, so no read depends on where they differ), the
/// length difference folded in. An empty secret matches nothing.
pub fn same_token(presented: &[u8], secret: &[u8]) -> bool {
    if secret.is_empty() {
        return false;
    }
    // usize: the length difference must not wrap to 0 when folded
    let mut diff = presented.len() ^ secret.len();
    for (i, p) in presented.iter().enumerate() {
        let s = secret[i % secret.len()];
        diff |= usize::from(std::hint::black_box(p ^ s));
    }
    std::hint::black_box(diff) == 0
}

/// Checks the request's bearer token against the server's: 403 on a read-only server
/// or a wrong token, 401 without a bearer token.
pub fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "read-only server"));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match presented {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this endpoint needs Authorization: Bearer TOKEN",
        )),
        Some(t) if same_token(t.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong token")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_itself_matches() {
        let secret = b"s3cret-token";
        assert!(same_token(secret, secret));
        for wrong in [
            &b""[..],
            b"s",
            b"s3cret",
            b"s3cret-toke",
            b"s3cret-tokeN",
            b"s3cret-token\0",
            b"s3cret-tokens3cret-token",
            b"s3cret-token s3cret-token",
            b"x3cret-token",
            &[0u8; 12],
            &[0u8; 4096],
        ] {
            assert!(
                !same_token(wrong, secret),
                "{:?} matched",
                String::from_utf8_lossy(wrong)
            );
        }
        // a token repeated to a multiple of its length is no match (the cyclic reads)
        assert!(!same_token(b"abab", b"ab"));
        assert!(!same_token(b"", b""));
        assert!(!same_token(b"a", b""));
    }

    #[test]
    fn lengths_that_differ_by_a_multiple_of_256_do_not_match() {
        // a length difference folded into a u8 would vanish
        let secret = vec![b'a'; 3];
        let long = vec![b'a'; 3 + 256];
        assert!(!same_token(&long, &secret));
        assert!(!same_token(&secret, &long));
    }
}
