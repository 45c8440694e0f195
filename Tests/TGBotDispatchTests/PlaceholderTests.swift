import Testing
import TGBotDispatch
