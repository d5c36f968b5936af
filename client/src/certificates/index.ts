export { generateCertificate, MAX_VALIDITY_DAYS, type GenerateCertificateOptions, type GeneratedCertificate } from './generate';
export { CertificateApi, type CertificateApiOptions, type CertificateEndpoints, type CertificateInfo } from './api';
export { inspectCertificatePem, type CertificateSummary } from './inspect';
export {
  rotateCertificate,
  DEFAULT_MAX_ACTIVE_CERTIFICATES,
  type RotateCertificateOptions,
  type RotationCandidate,
  type RotatedCertificate,
  type RotationResult,
} from './rotate';
export { verifyWithClientCredentials } from './verify';
export { expiryWarnings, type ExpiryLevel, type ExpiryWarning } from './expiry';
export { KEY_TYPES, DEFAULT_KEY_TYPE, isCertificateKeyType, type CertificateAlgorithm, type CertificateKeyType } from './keyTypes';
