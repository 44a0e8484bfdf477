/** A secret encrypted by the Vault: the key id that sealed it and the ciphertext (base64url). */
export interface Sealed {
  readonly keyId: string
  readonly ciphertext: string
}
