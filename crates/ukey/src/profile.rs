//! The card profile `shebao-ukey/1` (PROTOCOL.md §1): its application identifier, files,
//! instructions and status words. The reader side and the simulator both build on these, so the
//! two cannot drift apart.

/// Application identifier: "SHEBAO" in a proprietary AID, version 1.
pub const AID: [u8; 8] = [0xF0, 0x53, 0x48, 0x45, 0x42, 0x41, 0x4F, 0x01];

/// Short file identifiers of the application's four files.
pub mod sfi {
    /// Unit number, ASCII digits, at most 20 bytes.
    pub const UNIT_NO: u8 = 0x01;
    /// Unit name, UTF-8.
    pub const UNIT_NAME: u8 = 0x02;
    /// Unified social credit code, 18 ASCII characters.
    pub const CREDIT_CODE: u8 = 0x03;
    /// The card's SM2 public key, uncompressed SEC1 (65 bytes).
    pub const PUBLIC_KEY: u8 = 0x04;
}

/// Instruction bytes.
pub mod ins {
    pub const SELECT: u8 = 0xA4;
    pub const READ_BINARY: u8 = 0xB0;
    pub const VERIFY: u8 = 0x20;
    pub const INTERNAL_AUTHENTICATE: u8 = 0x88;
    pub const GET_RESPONSE: u8 = 0xC0;
}

/// Status words the profile uses.
pub mod sw {
    pub const OK: u16 = 0x9000;
    /// End of file reached before Le bytes (a short last chunk, with data).
    pub const END_OF_FILE: u16 = 0x6282;
    pub const WRONG_LENGTH: u16 = 0x6700;
    pub const SECURITY_NOT_SATISFIED: u16 = 0x6982;
    pub const PIN_BLOCKED: u16 = 0x6983;
    pub const NO_CURRENT_EF: u16 = 0x6986;
    pub const NOT_FOUND: u16 = 0x6A82;
    pub const WRONG_P1P2: u16 = 0x6A86;
    pub const OFFSET_OUTSIDE: u16 = 0x6B00;
    pub const INS_NOT_SUPPORTED: u16 = 0x6D00;
    pub const CLA_NOT_SUPPORTED: u16 = 0x6E00;
    /// `63 Cx`: wrong PIN, x tries left.
    pub const WRONG_PIN_BASE: u16 = 0x63C0;
}

/// Longest unit number the profile allows.
pub const UNIT_NO_MAX: usize = 20;
/// Length of a challenge for INTERNAL AUTHENTICATE.
pub const CHALLENGE_LEN: usize = 32;
/// Length of an SM2 signature r‖s.
pub const SIGNATURE_LEN: usize = 64;
/// Length of an uncompressed SEC1 public key.
pub const PUBLIC_KEY_LEN: usize = 65;
/// The SM2 user id of the profile (the GM/T 0009 default).
pub const SM2_USER_ID: &str = "1234567812345678";
/// The bytes one short READ BINARY answers at most (Le = 00).
pub const READ_CHUNK: usize = 256;
/// Files larger than this are not of this profile; stops a broken card from feeding us forever.
pub const FILE_MAX: usize = 4096;

/// `00 A4 04 00 08 <AID> 00`
pub fn select_command() -> Vec<u8> {
    let mut apdu = vec![0x00, ins::SELECT, 0x04, 0x00, AID.len() as u8];
    apdu.extend_from_slice(&AID);
    apdu.push(0x00);
    apdu
}

/// `00 B0 8s 00 00`: the first chunk of a file by short file id.
pub fn read_first_command(sfi: u8) -> Vec<u8> {
    vec![0x00, ins::READ_BINARY, 0x80 | (sfi & 0x1F), 0x00, 0x00]
}

/// `00 B0 <offset hi> <offset lo> 00`: the next chunk of the file just read.
pub fn read_next_command(offset: u16) -> Vec<u8> {
    let [hi, lo] = offset.to_be_bytes();
    vec![0x00, ins::READ_BINARY, hi & 0x7F, lo, 0x00]
}

/// `00 20 00 01 Lc <PIN>`
pub fn verify_command(pin: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, ins::VERIFY, 0x00, 0x01, pin.len() as u8];
    apdu.extend_from_slice(pin);
    apdu
}

/// `00 88 00 00 20 <challenge> 00`
pub fn internal_authenticate_command(challenge: &[u8; CHALLENGE_LEN]) -> Vec<u8> {
    let mut apdu = vec![
        0x00,
        ins::INTERNAL_AUTHENTICATE,
        0x00,
        0x00,
        CHALLENGE_LEN as u8,
    ];
    apdu.extend_from_slice(challenge);
    apdu.push(0x00);
    apdu
}
