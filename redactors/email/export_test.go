package email

// MSGToEML returns the RFC 5322 message read from a .msg file.
func MSGToEML(data []byte) ([]byte, error) {
	c := &ctx{opts: Options{Limits: DefaultLimits}, budget: &budget{lim: DefaultLimits}}
	cf, err := openMSG(c, data)
	if err != nil {
		return nil, err
	}
	return cf.message(cf.root, 32, 0)
}

// NeutralIDs is neutralIDs' name.
func NeutralIDs(name string) string {
	v, _ := neutralIDs(name)
	return v
}
