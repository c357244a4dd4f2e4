//! TLS for database connections (rustls with ring: no OpenSSL to install). Modes follow
//! libpq's `sslmode`, read from the URL (`?sslmode=` for PostgreSQL, `?ssl-mode=` or
//! `?sslmode=` for MySQL):
//! - `prefer` (default): TLS when the server offers it, plain otherwise; the certificate is
//!   not checked (as libpq's prefer and require: encryption against passive listeners);
//! - `require`: TLS or no connection, certificate not checked;
//! - `verify-full` (`verify-ca`, MySQL's `VERIFY_IDENTITY`): TLS, chain checked against
//!   `sslrootcert=FILE` (PEM) or the web PKI roots, and the host name;
//! - `disable`: plain.

use super::DbTarget;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyFull,
}

impl TlsMode {
    pub fn of(target: &DbTarget) -> Result<TlsMode, String> {
        let value = target
            .params
            .iter()
            .find(|(k, _)| {
                matches!(
                    k.to_ascii_lowercase().as_str(),
                    "sslmode" | "ssl-mode" | "ssl_mode" | "tls"
                )
            })
            .map(|(_, v)| v.to_ascii_lowercase().replace('_', "-"));
        Ok(match value.as_deref() {
            None | Some("prefer") | Some("preferred") | Some("allow") => TlsMode::Prefer,
            Some("disable") | Some("disabled") | Some("false") => TlsMode::Disable,
            Some("require") | Some("required") | Some("true") => TlsMode::Require,
            Some("verify-full") | Some("verify-ca") | Some("verify-identity") => {
                TlsMode::VerifyFull
            }
            Some(other) => {
                return Err(format!(
                    "unknown sslmode '{other}' (disable, prefer, require, verify-full)"
                ))
            }
        })
    }
}

/// The root certificate file named by `sslrootcert=`, if any.
pub fn root_cert_file(target: &DbTarget) -> Option<std::path::PathBuf> {
    target
        .params
        .iter()
        .find(|(k, _)| matches!(k.as_str(), "sslrootcert" | "ssl-ca" | "ssl_ca"))
        .map(|(_, v)| v.into())
}

/// Accepts any certificate while still checking the handshake signatures: encryption
/// without authentication, what `prefer` and `require` promise.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A rustls client configuration for `mode`.
pub fn client_config(
    mode: TlsMode,
    root_file: Option<&std::path::Path>,
) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up: {e}"))?;
    if mode != TlsMode::VerifyFull {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth());
    }
    let mut roots = rustls::RootCertStore::empty();
    match root_file {
        Some(path) => {
            use rustls::pki_types::pem::PemObject;
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("sslrootcert {}: {e}", path.display()))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}
